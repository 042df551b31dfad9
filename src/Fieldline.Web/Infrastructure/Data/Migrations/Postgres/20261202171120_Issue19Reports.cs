using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue19Reports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TripCategory",
                table: "WorkOrders",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_VisitedAt",
                table: "WorkOrders",
                columns: new[] { "BranchId", "VisitedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SlaClocks_BranchId_StartedAt",
                table: "SlaClocks",
                columns: new[] { "BranchId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PenaltyCases_BranchId_CreatedAt",
                table: "PenaltyCases",
                columns: new[] { "BranchId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PayLedgerEntries_BranchId_PostedAt",
                table: "PayLedgerEntries",
                columns: new[] { "BranchId", "PostedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_BranchId_CreatedAt",
                table: "Complaints",
                columns: new[] { "BranchId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_VisitedAt",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_SlaClocks_BranchId_StartedAt",
                table: "SlaClocks");

            migrationBuilder.DropIndex(
                name: "IX_PenaltyCases_BranchId_CreatedAt",
                table: "PenaltyCases");

            migrationBuilder.DropIndex(
                name: "IX_PayLedgerEntries_BranchId_PostedAt",
                table: "PayLedgerEntries");

            migrationBuilder.DropIndex(
                name: "IX_Complaints_BranchId_CreatedAt",
                table: "Complaints");

            migrationBuilder.DropColumn(
                name: "TripCategory",
                table: "WorkOrders");
        }
    }
}
