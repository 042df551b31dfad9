using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PayLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PayLedgerEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Period = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    PenaltyCaseId = table.Column<long>(type: "INTEGER", nullable: true),
                    RuleIds = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    PostedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PostedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayLedgerEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PayLedgerEntries_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PayLedgerEntries_PenaltyCases_PenaltyCaseId",
                        column: x => x.PenaltyCaseId,
                        principalTable: "PenaltyCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PayLedgerEntries_Users_PersonUserId",
                        column: x => x.PersonUserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PayPeriodCloses",
                columns: table => new
                {
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayPeriodCloses", x => new { x.BranchId, x.Month });
                    table.ForeignKey(
                        name: "FK_PayPeriodCloses_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PayLedgerEntries_BranchId_Period",
                table: "PayLedgerEntries",
                columns: new[] { "BranchId", "Period" });

            migrationBuilder.CreateIndex(
                name: "IX_PayLedgerEntries_PenaltyCaseId",
                table: "PayLedgerEntries",
                column: "PenaltyCaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayLedgerEntries_PersonUserId_Period",
                table: "PayLedgerEntries",
                columns: new[] { "PersonUserId", "Period" });

            // What was paid must stay explainable: ledger lines and closed months are added, never changed (see AppDbContext).
            foreach (var table in new[] { "PayLedgerEntries", "PayPeriodCloses" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
            }
            // Nothing is posted into a closed pay month, even by a confirmation that read the closes before a racing close.
            migrationBuilder.Sql("""
                CREATE TRIGGER PayLedgerEntries_open_month BEFORE INSERT ON PayLedgerEntries
                WHEN EXISTS (SELECT 1 FROM PayPeriodCloses WHERE BranchId = NEW.BranchId AND Month = NEW.Period)
                BEGIN SELECT RAISE(ABORT, 'pay month closed: PayLedgerEntries cannot be posted to a closed month'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS PayLedgerEntries_open_month;");
            foreach (var table in new[] { "PayLedgerEntries", "PayPeriodCloses" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_no_update;");
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_no_delete;");
            }

            migrationBuilder.DropTable(
                name: "PayLedgerEntries");

            migrationBuilder.DropTable(
                name: "PayPeriodCloses");
        }
    }
}
