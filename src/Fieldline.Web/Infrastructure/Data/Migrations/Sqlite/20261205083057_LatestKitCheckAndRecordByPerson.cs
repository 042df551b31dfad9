using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LatestKitCheckAndRecordByPerson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HrRecords_TechnicianId_Stage_Item",
                table: "HrRecords");

            migrationBuilder.CreateIndex(
                name: "IX_ToolChecks_TechnicianId_Id",
                table: "ToolChecks",
                columns: new[] { "TechnicianId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_HrRecords_TechnicianId_Stage_Item_Id",
                table: "HrRecords",
                columns: new[] { "TechnicianId", "Stage", "Item", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ToolChecks_TechnicianId_Id",
                table: "ToolChecks");

            migrationBuilder.DropIndex(
                name: "IX_HrRecords_TechnicianId_Stage_Item_Id",
                table: "HrRecords");

            migrationBuilder.CreateIndex(
                name: "IX_HrRecords_TechnicianId_Stage_Item",
                table: "HrRecords",
                columns: new[] { "TechnicianId", "Stage", "Item" });
        }
    }
}
