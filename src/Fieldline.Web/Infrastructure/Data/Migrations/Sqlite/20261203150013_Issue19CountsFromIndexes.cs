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

            // KPI-13's clocks counted per branch, UTC hour started and clock (ClockHour), kept by the database: a clock
            // adds +1 decided (and +1 met) when it becomes decided — met, breached, or overdue — and takes it back when
            // it stops being so. Hour = ms since 1970 / 3,600,000; SQLite stores a time as (ms since year 1) * 20480.
            const string decided = """("State" IN ('Met', 'Breached') OR "OverdueAt" IS NOT NULL)""";
            static string Add(string row, int sign) => $"""
                INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                SELECT {row}."BranchId", ({row}."StartedAt" / 20480 - 62135596800000) / 3600000, {row}."Name", {sign}, {sign} * ({row}."State" = 'Met')
                WHERE {decided.Replace("\"State\"", row + ".\"State\"").Replace("\"OverdueAt\"", row + ".\"OverdueAt\"")}
                ON CONFLICT ("BranchId", "Hour", "Name") DO UPDATE SET "Decided" = "Decided" + excluded."Decided", "Met" = "Met" + excluded."Met";
                """;
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SlaClockHours_Insert" AFTER INSERT ON "SlaClocks" BEGIN
                {Add("NEW", 1)}
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SlaClockHours_Update" AFTER UPDATE ON "SlaClocks"
                WHEN OLD."State" IS NOT NEW."State" OR (OLD."OverdueAt" IS NULL) <> (NEW."OverdueAt" IS NULL)
                    OR OLD."BranchId" <> NEW."BranchId" OR OLD."StartedAt" <> NEW."StartedAt" OR OLD."Name" <> NEW."Name" BEGIN
                {Add("OLD", -1)}
                {Add("NEW", 1)}
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SlaClockHours_Delete" AFTER DELETE ON "SlaClocks" BEGIN
                {Add("OLD", -1)}
                END;
                """);
            migrationBuilder.Sql($"""
                INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                SELECT "BranchId", ("StartedAt" / 20480 - 62135596800000) / 3600000 AS h, "Name", COUNT(*), SUM("State" = 'Met')
                FROM "SlaClocks" WHERE {decided} GROUP BY "BranchId", h, "Name";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Delete";""");

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
