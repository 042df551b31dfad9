using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue19CountsFromIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_CompletedAt",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_CreatedAt_Id",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_VisitedAt",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrderCharge_WorkOrderId",
                table: "WorkOrderCharge");

            migrationBuilder.AddColumn<long>(
                name: "RepeatOfId",
                table: "WorkOrders",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SlaClockHours",
                columns: table => new
                {
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    Hour = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Decided = table.Column<int>(type: "integer", nullable: false),
                    Met = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaClockHours", x => new { x.BranchId, x.Hour, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_CompletedAt_Counts",
                table: "WorkOrders",
                columns: new[] { "BranchId", "CompletedAt", "Status", "Type", "ProductLine", "TechnicianId", "EmptyTrip", "CheckedInAt", "CreatedAt", "Id" },
                filter: "\"CompletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_CreatedAt_Id_Counts",
                table: "WorkOrders",
                columns: new[] { "BranchId", "CreatedAt", "Id", "Type", "ProductLine", "TechnicianId" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_BranchId_VisitedAt_Counts",
                table: "WorkOrders",
                columns: new[] { "BranchId", "VisitedAt", "Satisfaction", "ProductLine", "TechnicianId" },
                filter: "\"VisitedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_RepeatOfId_BranchId",
                table: "WorkOrders",
                columns: new[] { "RepeatOfId", "BranchId" },
                filter: "\"RepeatOfId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderCharge_WorkOrderId_Amount",
                table: "WorkOrderCharge",
                columns: new[] { "WorkOrderId", "Amount" });
            // KPI-02: the repeat link, until now only in the repeat's "created" timeline entry, as a column.
            migrationBuilder.Sql("""
                UPDATE "WorkOrders" AS w SET "RepeatOfId" = (t."DataJson"::jsonb ->> 'repeatOf')::bigint
                FROM "TimelineEntries" AS t
                WHERE t."WorkOrderId" = w."Id" AND t."Action" = 'created' AND t."DataJson" LIKE '%"repeatOf":%'
                  AND jsonb_typeof(t."DataJson"::jsonb -> 'repeatOf') = 'number';
                """);

            // KPI-13's clocks counted per branch, UTC hour started and clock (ClockHour), from the clocks there are; the
            // triggers that keep the counts are Issue19ClockHourChanges'.
            migrationBuilder.Sql("""
                INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                SELECT "BranchId", floor(extract(epoch FROM "StartedAt") / 3600)::bigint AS h, "Name", COUNT(*),
                       COUNT(*) FILTER (WHERE "State" = 'Met')
                FROM "SlaClocks" WHERE "State" IN ('Met', 'Breached') OR "OverdueAt" IS NOT NULL
                GROUP BY "BranchId", h, "Name";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SlaClockHours");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_CompletedAt_Counts",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_CreatedAt_Id_Counts",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_BranchId_VisitedAt_Counts",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_RepeatOfId_BranchId",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrderCharge_WorkOrderId_Amount",
                table: "WorkOrderCharge");

            migrationBuilder.DropColumn(
                name: "RepeatOfId",
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
                name: "IX_WorkOrders_BranchId_VisitedAt",
                table: "WorkOrders",
                columns: new[] { "BranchId", "VisitedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderCharge_WorkOrderId",
                table: "WorkOrderCharge",
                column: "WorkOrderId");
        }
    }
}
