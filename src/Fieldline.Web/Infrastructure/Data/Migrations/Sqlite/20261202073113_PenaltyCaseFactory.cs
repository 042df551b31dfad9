using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PenaltyCaseFactory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Count",
                table: "PenaltyCases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "OccurredOn",
                table: "PenaltyCases",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<int>(
                name: "Offence",
                table: "PenaltyCases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PreviousCaseId",
                table: "PenaltyCases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Step",
                table: "PenaltyCases",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PenaltyCaseId",
                table: "DismissalReviews",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PenaltyCases_PersonUserId_PenaltyKey_CreatedAt",
                table: "PenaltyCases",
                columns: new[] { "PersonUserId", "PenaltyKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PenaltyCases_PreviousCaseId",
                table: "PenaltyCases",
                column: "PreviousCaseId");

            migrationBuilder.CreateIndex(
                name: "IX_DismissalReviews_PenaltyCaseId",
                table: "DismissalReviews",
                column: "PenaltyCaseId");

            migrationBuilder.AddForeignKey(
                name: "FK_DismissalReviews_PenaltyCases_PenaltyCaseId",
                table: "DismissalReviews",
                column: "PenaltyCaseId",
                principalTable: "PenaltyCases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_PenaltyCases_PenaltyCases_PreviousCaseId",
                table: "PenaltyCases",
                column: "PreviousCaseId",
                principalTable: "PenaltyCases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DismissalReviews_PenaltyCases_PenaltyCaseId",
                table: "DismissalReviews");

            migrationBuilder.DropForeignKey(
                name: "FK_PenaltyCases_PenaltyCases_PreviousCaseId",
                table: "PenaltyCases");

            migrationBuilder.DropIndex(
                name: "IX_PenaltyCases_PersonUserId_PenaltyKey_CreatedAt",
                table: "PenaltyCases");

            migrationBuilder.DropIndex(
                name: "IX_PenaltyCases_PreviousCaseId",
                table: "PenaltyCases");

            migrationBuilder.DropIndex(
                name: "IX_DismissalReviews_PenaltyCaseId",
                table: "DismissalReviews");

            migrationBuilder.DropColumn(
                name: "Count",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "OccurredOn",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "Offence",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "PreviousCaseId",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "Step",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "PenaltyCaseId",
                table: "DismissalReviews");
        }
    }
}
