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

            // KPI-13's clocks counted per branch, UTC hour started and clock (ClockHour), kept by the database: a clock
            // adds +1 decided (and +1 met) when it becomes decided — met, breached, or overdue — and takes it back when
            // it stops being so.
            migrationBuilder.Sql("""
                CREATE FUNCTION sla_clock_hours() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD."State" IN ('Met', 'Breached') OR OLD."OverdueAt" IS NOT NULL) THEN
                        INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                        VALUES (OLD."BranchId", floor(extract(epoch FROM OLD."StartedAt") / 3600)::bigint, OLD."Name", -1,
                                CASE WHEN OLD."State" = 'Met' THEN -1 ELSE 0 END)
                        ON CONFLICT ("BranchId", "Hour", "Name") DO UPDATE
                            SET "Decided" = "SlaClockHours"."Decided" + EXCLUDED."Decided", "Met" = "SlaClockHours"."Met" + EXCLUDED."Met";
                    END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') AND (NEW."State" IN ('Met', 'Breached') OR NEW."OverdueAt" IS NOT NULL) THEN
                        INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                        VALUES (NEW."BranchId", floor(extract(epoch FROM NEW."StartedAt") / 3600)::bigint, NEW."Name", 1,
                                CASE WHEN NEW."State" = 'Met' THEN 1 ELSE 0 END)
                        ON CONFLICT ("BranchId", "Hour", "Name") DO UPDATE
                            SET "Decided" = "SlaClockHours"."Decided" + EXCLUDED."Decided", "Met" = "SlaClockHours"."Met" + EXCLUDED."Met";
                    END IF;
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SlaClockHours_InsertDelete" AFTER INSERT OR DELETE ON "SlaClocks"
                    FOR EACH ROW EXECUTE FUNCTION sla_clock_hours();
                CREATE TRIGGER "SlaClockHours_Update" AFTER UPDATE ON "SlaClocks" FOR EACH ROW
                    WHEN (OLD."State" IS DISTINCT FROM NEW."State" OR (OLD."OverdueAt" IS NULL) <> (NEW."OverdueAt" IS NULL)
                        OR OLD."BranchId" <> NEW."BranchId" OR OLD."StartedAt" <> NEW."StartedAt" OR OLD."Name" <> NEW."Name")
                    EXECUTE FUNCTION sla_clock_hours();
                """);
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
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "SlaClockHours_InsertDelete" ON "SlaClocks";
                DROP TRIGGER IF EXISTS "SlaClockHours_Update" ON "SlaClocks";
                DROP FUNCTION IF EXISTS sla_clock_hours();
                """);

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
