using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    TechnicianId = table.Column<int>(type: "INTEGER", nullable: false),
                    TechnicianUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    PolicyVersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CheckedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kit = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Missing = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    BlocksDispatch = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    PenaltyCaseId = table.Column<long>(type: "INTEGER", nullable: true)
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
