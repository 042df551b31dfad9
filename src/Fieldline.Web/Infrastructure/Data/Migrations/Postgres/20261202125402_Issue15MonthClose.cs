using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue15MonthClose : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "AmountAfterAppeal",
                table: "PenaltyCases",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Appeal",
                table: "PenaltyCases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AppealDecidedAt",
                table: "PenaltyCases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AppealDecidedBy",
                table: "PenaltyCases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AppealDecision",
                table: "PenaltyCases",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AppealEvidenceJson",
                table: "PenaltyCases",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AppealReason",
                table: "PenaltyCases",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AppealedAt",
                table: "PenaltyCases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReversalOfId",
                table: "PayLedgerEntries",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PenaltyCases_BranchId_Appeal",
                table: "PenaltyCases",
                columns: new[] { "BranchId", "Appeal" });

            migrationBuilder.CreateIndex(
                name: "IX_PayLedgerEntries_ReversalOfId",
                table: "PayLedgerEntries",
                column: "ReversalOfId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PenaltyCases_BranchId_Appeal",
                table: "PenaltyCases");

            migrationBuilder.DropIndex(
                name: "IX_PayLedgerEntries_ReversalOfId",
                table: "PayLedgerEntries");

            migrationBuilder.DropColumn(
                name: "AmountAfterAppeal",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "Appeal",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "AppealDecidedAt",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "AppealDecidedBy",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "AppealDecision",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "AppealEvidenceJson",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "AppealReason",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "AppealedAt",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "ReversalOfId",
                table: "PayLedgerEntries");
        }
    }
}
