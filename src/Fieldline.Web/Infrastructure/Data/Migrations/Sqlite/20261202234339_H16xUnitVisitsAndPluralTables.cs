using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class H16xUnitVisitsAndPluralTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DepotReceipt_Branches_BranchId",
                table: "DepotReceipt");

            migrationBuilder.DropForeignKey(
                name: "FK_DepotReceipt_WorkOrders_WorkOrderId",
                table: "DepotReceipt");

            migrationBuilder.DropForeignKey(
                name: "FK_DepotUnit_DepotReceipt_ReceiptId",
                table: "DepotUnit");

            migrationBuilder.DropForeignKey(
                name: "FK_WarrantyClaim_WorkOrders_WorkOrderId",
                table: "WarrantyClaim");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WarrantyClaim",
                table: "WarrantyClaim");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DepotUnit",
                table: "DepotUnit");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DepotReceipt",
                table: "DepotReceipt");

            migrationBuilder.RenameTable(
                name: "WarrantyClaim",
                newName: "WarrantyClaims");

            migrationBuilder.RenameTable(
                name: "DepotUnit",
                newName: "DepotUnits");

            migrationBuilder.RenameTable(
                name: "DepotReceipt",
                newName: "DepotReceipts");

            migrationBuilder.RenameIndex(
                name: "IX_WarrantyClaim_WorkOrderId",
                table: "WarrantyClaims",
                newName: "IX_WarrantyClaims_WorkOrderId");

            migrationBuilder.RenameIndex(
                name: "IX_WarrantyClaim_BranchId_Status",
                table: "WarrantyClaims",
                newName: "IX_WarrantyClaims_BranchId_Status");

            migrationBuilder.RenameIndex(
                name: "IX_DepotUnit_ReceiptId",
                table: "DepotUnits",
                newName: "IX_DepotUnits_ReceiptId");

            migrationBuilder.RenameIndex(
                name: "IX_DepotUnit_BranchId_Status",
                table: "DepotUnits",
                newName: "IX_DepotUnits_BranchId_Status");

            migrationBuilder.RenameIndex(
                name: "IX_DepotReceipt_WorkOrderId",
                table: "DepotReceipts",
                newName: "IX_DepotReceipts_WorkOrderId");

            migrationBuilder.RenameIndex(
                name: "IX_DepotReceipt_BranchId_Year_Sequence",
                table: "DepotReceipts",
                newName: "IX_DepotReceipts_BranchId_Year_Sequence");

            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "ReturnVisits",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "DepotUnitId",
                table: "ReturnVisits",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ProductId",
                table: "ReturnVisits",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Purpose",
                table: "ReturnVisits",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "service");

            migrationBuilder.AddPrimaryKey(
                name: "PK_WarrantyClaims",
                table: "WarrantyClaims",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DepotUnits",
                table: "DepotUnits",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DepotReceipts",
                table: "DepotReceipts",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_ReturnVisits_DepotUnitId_Attempt",
                table: "ReturnVisits",
                columns: new[] { "DepotUnitId", "Attempt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReturnVisits_ProductId_At",
                table: "ReturnVisits",
                columns: new[] { "ProductId", "At" });

            migrationBuilder.AddForeignKey(
                name: "FK_DepotReceipts_Branches_BranchId",
                table: "DepotReceipts",
                column: "BranchId",
                principalTable: "Branches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DepotReceipts_WorkOrders_WorkOrderId",
                table: "DepotReceipts",
                column: "WorkOrderId",
                principalTable: "WorkOrders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DepotUnits_DepotReceipts_ReceiptId",
                table: "DepotUnits",
                column: "ReceiptId",
                principalTable: "DepotReceipts",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_ReturnVisits_DepotUnits_DepotUnitId",
                table: "ReturnVisits",
                column: "DepotUnitId",
                principalTable: "DepotUnits",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ReturnVisits_Products_ProductId",
                table: "ReturnVisits",
                column: "ProductId",
                principalTable: "Products",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_WarrantyClaims_WorkOrders_WorkOrderId",
                table: "WarrantyClaims",
                column: "WorkOrderId",
                principalTable: "WorkOrders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DepotReceipts_Branches_BranchId",
                table: "DepotReceipts");

            migrationBuilder.DropForeignKey(
                name: "FK_DepotReceipts_WorkOrders_WorkOrderId",
                table: "DepotReceipts");

            migrationBuilder.DropForeignKey(
                name: "FK_DepotUnits_DepotReceipts_ReceiptId",
                table: "DepotUnits");

            migrationBuilder.DropForeignKey(
                name: "FK_ReturnVisits_DepotUnits_DepotUnitId",
                table: "ReturnVisits");

            migrationBuilder.DropForeignKey(
                name: "FK_ReturnVisits_Products_ProductId",
                table: "ReturnVisits");

            migrationBuilder.DropForeignKey(
                name: "FK_WarrantyClaims_WorkOrders_WorkOrderId",
                table: "WarrantyClaims");

            migrationBuilder.DropIndex(
                name: "IX_ReturnVisits_DepotUnitId_Attempt",
                table: "ReturnVisits");

            migrationBuilder.DropIndex(
                name: "IX_ReturnVisits_ProductId_At",
                table: "ReturnVisits");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WarrantyClaims",
                table: "WarrantyClaims");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DepotUnits",
                table: "DepotUnits");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DepotReceipts",
                table: "DepotReceipts");

            migrationBuilder.DropColumn(
                name: "DepotUnitId",
                table: "ReturnVisits");

            migrationBuilder.DropColumn(
                name: "ProductId",
                table: "ReturnVisits");

            migrationBuilder.DropColumn(
                name: "Purpose",
                table: "ReturnVisits");

            migrationBuilder.RenameTable(
                name: "WarrantyClaims",
                newName: "WarrantyClaim");

            migrationBuilder.RenameTable(
                name: "DepotUnits",
                newName: "DepotUnit");

            migrationBuilder.RenameTable(
                name: "DepotReceipts",
                newName: "DepotReceipt");

            migrationBuilder.RenameIndex(
                name: "IX_WarrantyClaims_WorkOrderId",
                table: "WarrantyClaim",
                newName: "IX_WarrantyClaim_WorkOrderId");

            migrationBuilder.RenameIndex(
                name: "IX_WarrantyClaims_BranchId_Status",
                table: "WarrantyClaim",
                newName: "IX_WarrantyClaim_BranchId_Status");

            migrationBuilder.RenameIndex(
                name: "IX_DepotUnits_ReceiptId",
                table: "DepotUnit",
                newName: "IX_DepotUnit_ReceiptId");

            migrationBuilder.RenameIndex(
                name: "IX_DepotUnits_BranchId_Status",
                table: "DepotUnit",
                newName: "IX_DepotUnit_BranchId_Status");

            migrationBuilder.RenameIndex(
                name: "IX_DepotReceipts_WorkOrderId",
                table: "DepotReceipt",
                newName: "IX_DepotReceipt_WorkOrderId");

            migrationBuilder.RenameIndex(
                name: "IX_DepotReceipts_BranchId_Year_Sequence",
                table: "DepotReceipt",
                newName: "IX_DepotReceipt_BranchId_Year_Sequence");

            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "ReturnVisits",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_WarrantyClaim",
                table: "WarrantyClaim",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DepotUnit",
                table: "DepotUnit",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DepotReceipt",
                table: "DepotReceipt",
                column: "Id");

            migrationBuilder.AddForeignKey(
                name: "FK_DepotReceipt_Branches_BranchId",
                table: "DepotReceipt",
                column: "BranchId",
                principalTable: "Branches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DepotReceipt_WorkOrders_WorkOrderId",
                table: "DepotReceipt",
                column: "WorkOrderId",
                principalTable: "WorkOrders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DepotUnit_DepotReceipt_ReceiptId",
                table: "DepotUnit",
                column: "ReceiptId",
                principalTable: "DepotReceipt",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_WarrantyClaim_WorkOrders_WorkOrderId",
                table: "WarrantyClaim",
                column: "WorkOrderId",
                principalTable: "WorkOrders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
