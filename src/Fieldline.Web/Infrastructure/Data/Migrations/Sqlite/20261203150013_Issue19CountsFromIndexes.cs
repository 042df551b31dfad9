using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SlaClockHours",
                columns: table => new
                {
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    Hour = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Decided = table.Column<int>(type: "INTEGER", nullable: false),
                    Met = table.Column<int>(type: "INTEGER", nullable: false)
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
                UPDATE "WorkOrders" SET "RepeatOfId" = (
                    SELECT json_extract(t."DataJson", '$.repeatOf') FROM "TimelineEntries" AS t
                    WHERE t."WorkOrderId" = "WorkOrders"."Id" AND t."Action" = 'created' ORDER BY t."Id" LIMIT 1)
                WHERE "Id" IN (SELECT "WorkOrderId" FROM "TimelineEntries" WHERE "Action" = 'created' AND instr("DataJson", '"repeatOf":') > 0);
                """);

            // KPI-13's clocks counted per branch, UTC hour started and clock (ClockHour), from the clocks there are; the
            // triggers that keep the counts are Issue19ClockHourChanges'. Hour = ms since 1970 / 3,600,000; SQLite stores a
            // time as (ms since year 1) * 20480.
            const string decided = """("State" IN ('Met', 'Breached') OR "OverdueAt" IS NOT NULL)""";
            migrationBuilder.Sql($"""
                INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                SELECT "BranchId", ("StartedAt" / 20480 - 62135596800000) / 3600000 AS h, "Name", COUNT(*), SUM("State" = 'Met')
                FROM "SlaClocks" WHERE {decided} GROUP BY "BranchId", h, "Name";
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
