using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ComplaintFindings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PenaltyCases_ComplaintId",
                table: "PenaltyCases");

            migrationBuilder.AddColumn<int>(
                name: "FindingCount",
                table: "Complaints",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "ComplaintFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComplaintId = table.Column<long>(type: "INTEGER", nullable: false),
                    PenaltyKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PersonUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PenaltyCaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComplaintFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComplaintFindings_Complaints_ComplaintId",
                        column: x => x.ComplaintId,
                        principalTable: "Complaints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ComplaintFindings_PenaltyCases_PenaltyCaseId",
                        column: x => x.PenaltyCaseId,
                        principalTable: "PenaltyCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ComplaintFindings_Users_PersonUserId",
                        column: x => x.PersonUserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PenaltyCases_ComplaintId_PenaltyKey_PersonUserId",
                table: "PenaltyCases",
                columns: new[] { "ComplaintId", "PenaltyKey", "PersonUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ComplaintFindings_ComplaintId_PenaltyKey_PersonUserId",
                table: "ComplaintFindings",
                columns: new[] { "ComplaintId", "PenaltyKey", "PersonUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ComplaintFindings_PenaltyCaseId",
                table: "ComplaintFindings",
                column: "PenaltyCaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ComplaintFindings_PersonUserId",
                table: "ComplaintFindings",
                column: "PersonUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ComplaintFindings");

            migrationBuilder.DropIndex(
                name: "IX_PenaltyCases_ComplaintId_PenaltyKey_PersonUserId",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "FindingCount",
                table: "Complaints");

            migrationBuilder.CreateIndex(
                name: "IX_PenaltyCases_ComplaintId",
                table: "PenaltyCases",
                column: "ComplaintId",
                unique: true);
        }
    }
}
