using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LateReminders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Period = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
            migrationBuilder.Sql("""INSERT INTO "LateReminders" ("BranchId", "Kind", "Period", "SentAt") SELECT "BranchId", 'weeklyPlan', to_char("WeekStart", 'YYYY-MM-DD'), "RemindedAt" FROM "WeeklyPlans" WHERE "RemindedAt" IS NOT NULL""");

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

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RemindedAt",
                table: "WeeklyPlans",
                type: "timestamp with time zone",
                nullable: true);
        }
    }
}
