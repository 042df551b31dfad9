using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    Hour = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Decided = table.Column<int>(type: "INTEGER", nullable: false),
                    Met = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaClockHourChanges", x => x.Id);
                });
            // The triggers that keep KPI-13's hourly counts (ClockHour): a clock appends +1 decided (and +1 met) when it
            // becomes decided — met, breached, or overdue — and −1 when it stops being so; FoldClockHours folds them.
            // (A database that ran an earlier build of Issue19CountsFromIndexes has triggers that updated the counts in
            // place: they are replaced.)
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Delete";""");
            static string Add(string row, int sign) => $"""
                INSERT INTO "SlaClockHourChanges" ("BranchId", "Hour", "Name", "Decided", "Met")
                SELECT {row}."BranchId", ({row}."StartedAt" / 20480 - 62135596800000) / 3600000, {row}."Name", {sign}, {sign} * ({row}."State" = 'Met')
                WHERE {row}."State" IN ('Met', 'Breached') OR {row}."OverdueAt" IS NOT NULL;
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SlaClockHours_Delete";""");

            migrationBuilder.DropTable(
                name: "SlaClockHourChanges");
        }
    }
}
