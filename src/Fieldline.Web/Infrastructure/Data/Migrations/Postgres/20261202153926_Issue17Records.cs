using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue17Records : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ToolChecks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    TechnicianId = table.Column<int>(type: "integer", nullable: false),
                    TechnicianUserId = table.Column<int>(type: "integer", nullable: false),
                    PolicyVersionId = table.Column<int>(type: "integer", nullable: false),
                    CheckedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CheckedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kit = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Missing = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    BlocksDispatch = table.Column<bool>(type: "boolean", nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    PenaltyCaseId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ToolChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ToolChecks_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ToolChecks_PenaltyCases_PenaltyCaseId",
                        column: x => x.PenaltyCaseId,
                        principalTable: "PenaltyCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ToolChecks_Technicians_TechnicianId",
                        column: x => x.TechnicianId,
                        principalTable: "Technicians",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ToolChecks_BranchId_CheckedOn",
                table: "ToolChecks",
                columns: new[] { "BranchId", "CheckedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ToolChecks_PenaltyCaseId",
                table: "ToolChecks",
                column: "PenaltyCaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ToolChecks_TechnicianId_CheckedOn",
                table: "ToolChecks",
                columns: new[] { "TechnicianId", "CheckedOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ToolChecks");
        }
    }
}
