using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue19LateRemindersProblemPhoto : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.AddColumn<long>(
                name: "PhotoAttachmentId",
                table: "TechnicalProblems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LateReminders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LateReminders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LateReminders_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TechnicalProblems_PhotoAttachmentId",
                table: "TechnicalProblems",
                column: "PhotoAttachmentId");

            migrationBuilder.CreateIndex(
                name: "IX_LateReminders_BranchId_Kind_Period",
                table: "LateReminders",
                columns: new[] { "BranchId", "Kind", "Period" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_TechnicalProblems_Attachments_PhotoAttachmentId",
                table: "TechnicalProblems",
                column: "PhotoAttachmentId",
                principalTable: "Attachments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // The weekly plans already reminded of (the column this replaces): their keys, so no node reminds them again.
            migrationBuilder.Sql("""INSERT INTO "LateReminders" ("BranchId", "Kind", "Period", "SentAt") SELECT "BranchId", 'weeklyPlan', "WeekStart", "RemindedAt" FROM "WeeklyPlans" WHERE "RemindedAt" IS NOT NULL""");

            migrationBuilder.DropColumn(
                name: "RemindedAt",
                table: "WeeklyPlans");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_TechnicalProblems_Attachments_PhotoAttachmentId",
                table: "TechnicalProblems");

            migrationBuilder.DropTable(
                name: "LateReminders");

            migrationBuilder.DropIndex(
                name: "IX_TechnicalProblems_PhotoAttachmentId",
                table: "TechnicalProblems");

            migrationBuilder.DropColumn(
                name: "PhotoAttachmentId",
                table: "TechnicalProblems");

            migrationBuilder.AddColumn<long>(
                name: "RemindedAt",
                table: "WeeklyPlans",
                type: "INTEGER",
                nullable: true);
        }
    }
}
