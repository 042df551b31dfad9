using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WarrantyPricingAndCash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PaymentMethod",
                table: "WorkOrders",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "RemittedAmount",
                table: "WorkOrders",
                type: "TEXT",
                precision: 18,
                scale: 2,
                nullable: true);

            // Money handed in before this column existed: its amount is on the order's "remitted" timeline entry.
            migrationBuilder.Sql("""
                UPDATE "WorkOrders" SET "RemittedAmount" = (SELECT CAST(json_extract(t."DataJson", '$.amount') AS TEXT) FROM "TimelineEntries" t WHERE t."WorkOrderId" = "WorkOrders"."Id" AND t."Action" = 'remitted' LIMIT 1) WHERE "RemittedAmount" IS NULL AND EXISTS (SELECT 1 FROM "TimelineEntries" t WHERE t."WorkOrderId" = "WorkOrders"."Id" AND t."Action" = 'remitted');
                """);

            migrationBuilder.AddColumn<string>(
                name: "OverrideBy",
                table: "WorkOrderCharge",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OverrideReason",
                table: "WorkOrderCharge",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PartNumber",
                table: "WorkOrderCharge",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "StandardPrice",
                table: "WorkOrderCharge",
                type: "TEXT",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CashHandIns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    TechnicianId = table.Column<int>(type: "INTEGER", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    WorkOrderIds = table.Column<string>(type: "TEXT", nullable: false),
                    DeclaredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeclaredBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReceiptNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConfirmedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CashHandIns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CashHandIns_Technicians_TechnicianId",
                        column: x => x.TechnicianId,
                        principalTable: "Technicians",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CustomerRefunds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkOrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    PersonUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    PenaltyCaseId = table.Column<long>(type: "INTEGER", nullable: true),
                    ProposedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProposedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerRefunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomerRefunds_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CashHandIns_BranchId_State",
                table: "CashHandIns",
                columns: new[] { "BranchId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_CashHandIns_TechnicianId",
                table: "CashHandIns",
                column: "TechnicianId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerRefunds_BranchId_State",
                table: "CustomerRefunds",
                columns: new[] { "BranchId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerRefunds_WorkOrderId",
                table: "CustomerRefunds",
                column: "WorkOrderId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CashHandIns");

            migrationBuilder.DropTable(
                name: "CustomerRefunds");

            migrationBuilder.DropColumn(
                name: "PaymentMethod",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "RemittedAmount",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "OverrideBy",
                table: "WorkOrderCharge");

            migrationBuilder.DropColumn(
                name: "OverrideReason",
                table: "WorkOrderCharge");

            migrationBuilder.DropColumn(
                name: "PartNumber",
                table: "WorkOrderCharge");

            migrationBuilder.DropColumn(
                name: "StandardPrice",
                table: "WorkOrderCharge");
        }
    }
}
