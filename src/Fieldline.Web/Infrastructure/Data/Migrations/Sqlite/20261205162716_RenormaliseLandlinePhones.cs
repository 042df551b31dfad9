using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RenormaliseLandlinePhones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Landlines stored as typed before PhoneNumber.Normalize wrote one form (F2): see LandlineRenormalisation.
            migrationBuilder.Sql(LandlineRenormalisation.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The old spellings are not kept: the canonical form is a valid value of the older model too.
        }
    }
}
