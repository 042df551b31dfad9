using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KpiPeriodIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_WarrantyClaims_BranchId_SubmittedAt",
                table: "WarrantyClaims",
                columns: new[] { "BranchId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Requisitions_BranchId_RequestedAt",
                table: "Requisitions",
                columns: new[] { "BranchId", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WarrantyClaims_BranchId_SubmittedAt",
                table: "WarrantyClaims");

            migrationBuilder.DropIndex(
                name: "IX_Requisitions_BranchId_RequestedAt",
                table: "Requisitions");
        }
    }
}
