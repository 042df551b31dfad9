using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IndexedReadsAndAnswersWithTheirChange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Idempotency keys are now written with their answer in the change's own transaction. A claim an earlier version
            // left unfinished (its process died before the change committed) changed nothing: the key is freed for a retry.
            migrationBuilder.Sql("""DELETE FROM "IdempotencyRecords" WHERE "State" = 'InProgress';""");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_Status",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_CreatedAt",
                table: "WorkOrders");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_CompletedAt",
                table: "WorkOrders",
                columns: new[] { "BranchId", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_CreatedAt_Id",
                table: "WorkOrders",
                columns: new[] { "BranchId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_Status_CreatedAt_Id",
                table: "WorkOrders",
                columns: new[] { "BranchId", "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_ContactPhone",
                table: "WorkOrders",
                column: "ContactPhone");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CreatedAt_Id",
                table: "WorkOrders",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_TechnicianId_CreatedAt_Id",
                table: "WorkOrders",
                columns: new[] { "TechnicianId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_TimelineEntries_Action_At",
                table: "TimelineEntries",
                columns: new[] { "Action", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_SlaClocks_State_DueAt",
                table: "SlaClocks",
                columns: new[] { "State", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Name",
                table: "Customers",
                column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_CompletedAt",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_CreatedAt_Id",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_Status_CreatedAt_Id",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_ContactPhone",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_CreatedAt_Id",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_TechnicianId_CreatedAt_Id",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_TimelineEntries_Action_At",
                table: "TimelineEntries");

            migrationBuilder.DropIndex(
                name: "IX_SlaClocks_State_DueAt",
                table: "SlaClocks");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Name",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_Status",
                table: "WorkOrders",
                columns: new[] { "BranchId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CreatedAt",
                table: "WorkOrders",
                column: "CreatedAt");
        }
    }
}
