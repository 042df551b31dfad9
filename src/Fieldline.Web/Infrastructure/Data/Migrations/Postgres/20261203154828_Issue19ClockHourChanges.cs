using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue19ClockHourChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SlaClockHourChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    Hour = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Decided = table.Column<int>(type: "integer", nullable: false),
                    Met = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaClockHourChanges", x => x.Id);
                });
            // The triggers that keep KPI-13's hourly counts (ClockHour): a clock appends +1 decided (and +1 met) when it
            // becomes decided — met, breached, or overdue — and −1 when it stops being so; FoldClockHours folds them.
            // Appending, not updating a counting row, so that requests deciding clocks at once never wait on one another.
            // (A database that ran an earlier build of Issue19CountsFromIndexes has triggers that updated the counts in
            // place: they are replaced.)
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "SlaClockHours_InsertDelete" ON "SlaClocks";
                DROP TRIGGER IF EXISTS "SlaClockHours_Update" ON "SlaClocks";
                DROP FUNCTION IF EXISTS sla_clock_hours();
                CREATE FUNCTION sla_clock_hours() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD."State" IN ('Met', 'Breached') OR OLD."OverdueAt" IS NOT NULL) THEN
                        INSERT INTO "SlaClockHourChanges" ("BranchId", "Hour", "Name", "Decided", "Met")
                        VALUES (OLD."BranchId", floor(extract(epoch FROM OLD."StartedAt") / 3600)::bigint, OLD."Name", -1,
                                CASE WHEN OLD."State" = 'Met' THEN -1 ELSE 0 END);
                    END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') AND (NEW."State" IN ('Met', 'Breached') OR NEW."OverdueAt" IS NOT NULL) THEN
                        INSERT INTO "SlaClockHourChanges" ("BranchId", "Hour", "Name", "Decided", "Met")
                        VALUES (NEW."BranchId", floor(extract(epoch FROM NEW."StartedAt") / 3600)::bigint, NEW."Name", 1,
                                CASE WHEN NEW."State" = 'Met' THEN 1 ELSE 0 END);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER "SlaClockHours_InsertDelete" AFTER INSERT OR DELETE ON "SlaClocks"
                    FOR EACH ROW EXECUTE FUNCTION sla_clock_hours();
                CREATE TRIGGER "SlaClockHours_Update" AFTER UPDATE ON "SlaClocks" FOR EACH ROW
                    WHEN (OLD."State" IS DISTINCT FROM NEW."State" OR (OLD."OverdueAt" IS NULL) <> (NEW."OverdueAt" IS NULL)
                        OR OLD."BranchId" <> NEW."BranchId" OR OLD."StartedAt" <> NEW."StartedAt" OR OLD."Name" <> NEW."Name")
                    EXECUTE FUNCTION sla_clock_hours();
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
                name: "SlaClockHourChanges");
        }
    }
}
