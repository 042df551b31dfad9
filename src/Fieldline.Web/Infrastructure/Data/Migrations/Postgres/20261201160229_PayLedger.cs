using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    PersonUserId = table.Column<int>(type: "integer", nullable: false),
                    Period = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    PenaltyCaseId = table.Column<long>(type: "bigint", nullable: true),
                    RuleIds = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    PostedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PostedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
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
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
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
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_append_only\" BEFORE UPDATE OR DELETE ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION fieldline_append_only();");
            // Nothing is posted into a closed pay month. A close takes SHARE on the ledger first (ClosePayPeriod), so a posting
            // either committed before it or runs this check after the close committed (a volatile function's fresh snapshot).
            migrationBuilder.Sql("""
                CREATE FUNCTION fieldline_pay_month_open() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM "PayPeriodCloses" WHERE "BranchId" = NEW."BranchId" AND "Month" = NEW."Period") THEN
                        RAISE EXCEPTION 'pay month closed: PayLedgerEntries cannot be posted to a closed month (% of branch %)', NEW."Period", NEW."BranchId";
                    END IF;
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""CREATE TRIGGER "PayLedgerEntries_open_month" BEFORE INSERT ON "PayLedgerEntries" FOR EACH ROW EXECUTE FUNCTION fieldline_pay_month_open();""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "PayLedgerEntries_open_month" ON "PayLedgerEntries";""");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS fieldline_pay_month_open();");
            foreach (var table in new[] { "PayLedgerEntries", "PayPeriodCloses" })
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{table}_append_only\" ON \"{table}\";");

            migrationBuilder.DropTable(
                name: "PayLedgerEntries");

            migrationBuilder.DropTable(
                name: "PayPeriodCloses");
        }
    }
}
