using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReportDocumentId",
                table: "Outbox",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ToEmail",
                table: "Outbox",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TechnicalProblems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    ProductModel = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ProductLine = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    FaultCategory = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    WorkOrderId = table.Column<long>(type: "bigint", nullable: true),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RaisedByUserId = table.Column<int>(type: "integer", nullable: false),
                    Answer = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredByUserId = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
