using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CompanyWideOrderNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Order numbers become one series for the company (WorkOrderCodeCounter.Company, id 0). Each day's series
            // continues after the highest number any branch gave that day, so no new code repeats an old one.
            migrationBuilder.Sql("""
                INSERT INTO "WorkOrderCodeCounters" ("BranchId", "Day", "Last", "Version")
                SELECT 0, "Day", MAX("Last"), 0 FROM "WorkOrderCodeCounters" WHERE "BranchId" <> 0 GROUP BY "Day"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DELETE FROM "WorkOrderCodeCounters" WHERE "BranchId" = 0""");
        }
    }
}
