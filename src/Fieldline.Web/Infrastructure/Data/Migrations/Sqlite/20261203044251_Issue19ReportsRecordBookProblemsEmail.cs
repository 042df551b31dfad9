using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue19ReportsRecordBookProblemsEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Email",
                table: "Users",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReportDocumentId",
                table: "Outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ToEmail",
                table: "Outbox",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TechnicalProblems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProductModel = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ProductLine = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    FaultCategory = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    WorkOrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RaisedByUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AnsweredByUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TechnicalProblems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TechnicalProblems_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TechnicalProblems_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TechnicalProblems_BranchId_AnsweredAt",
                table: "TechnicalProblems",
                columns: new[] { "BranchId", "AnsweredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TechnicalProblems_BranchId_RaisedAt",
                table: "TechnicalProblems",
                columns: new[] { "BranchId", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TechnicalProblems_WorkOrderId",
                table: "TechnicalProblems",
                column: "WorkOrderId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TechnicalProblems");

            migrationBuilder.DropColumn(
                name: "Email",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "ReportDocumentId",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ToEmail",
                table: "Outbox");
        }
    }
}
