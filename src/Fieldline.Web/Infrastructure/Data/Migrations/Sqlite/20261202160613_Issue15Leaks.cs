using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue15Leaks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LeakFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    RepairOrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    InstallOrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    InstallerUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    RepairTechnicianUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Leak = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Compressor = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    InstalledOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AgeDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    FoundAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PenaltyCaseId = table.Column<long>(type: "INTEGER", nullable: true),
                    SubsidyEntryId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeakFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeakFindings_PayLedgerEntries_SubsidyEntryId",
                        column: x => x.SubsidyEntryId,
                        principalTable: "PayLedgerEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeakFindings_PenaltyCases_PenaltyCaseId",
                        column: x => x.PenaltyCaseId,
                        principalTable: "PenaltyCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeakFindings_WorkOrders_InstallOrderId",
                        column: x => x.InstallOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeakFindings_WorkOrders_RepairOrderId",
                        column: x => x.RepairOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LeakFindings_InstallerUserId_Month",
                table: "LeakFindings",
                columns: new[] { "InstallerUserId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_LeakFindings_InstallOrderId",
                table: "LeakFindings",
                column: "InstallOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_LeakFindings_PenaltyCaseId",
                table: "LeakFindings",
                column: "PenaltyCaseId");

            migrationBuilder.CreateIndex(
                name: "IX_LeakFindings_RepairOrderId",
                table: "LeakFindings",
                column: "RepairOrderId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LeakFindings_SubsidyEntryId",
                table: "LeakFindings",
                column: "SubsidyEntryId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LeakFindings");
        }
    }
}
