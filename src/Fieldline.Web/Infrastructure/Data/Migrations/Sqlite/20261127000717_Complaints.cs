using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Complaints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "SlaClocks",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "ComplaintId",
                table: "SlaClocks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "SlaBreaches",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "ComplaintId",
                table: "SlaBreaches",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ComplaintId",
                table: "PenaltyCases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Complaints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    PolicyVersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: true),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    WorkOrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    PersonUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Major = table.Column<bool>(type: "INTEGER", nullable: false),
                    AngryCustomer = table.Column<bool>(type: "INTEGER", nullable: false),
                    CustomerDeparted = table.Column<bool>(type: "INTEGER", nullable: false),
                    RoutedTo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OwnerRole = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EscalationReason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    RepeatCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FineNote = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedByUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VerifiedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VerificationNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RejectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RejectedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CustomerNotified = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Complaints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Complaints_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Complaints_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Complaints_PolicyVersions_PolicyVersionId",
                        column: x => x.PolicyVersionId,
                        principalTable: "PolicyVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Complaints_Users_PersonUserId",
                        column: x => x.PersonUserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Complaints_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SlaClocks_ComplaintId",
                table: "SlaClocks",
                column: "ComplaintId");

            migrationBuilder.AddCheckConstraint(
                name: "CK_SlaClocks_Subject",
                table: "SlaClocks",
                sql: "\"WorkOrderId\" IS NOT NULL OR \"ComplaintId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SlaBreaches_ComplaintId",
                table: "SlaBreaches",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_PenaltyCases_ComplaintId",
                table: "PenaltyCases",
                column: "ComplaintId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_BranchId_Status_CreatedAt",
                table: "Complaints",
                columns: new[] { "BranchId", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_CustomerId_CreatedAt",
                table: "Complaints",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_PersonUserId",
                table: "Complaints",
                column: "PersonUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_Phone_CreatedAt",
                table: "Complaints",
                columns: new[] { "Phone", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_PolicyVersionId",
                table: "Complaints",
                column: "PolicyVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_WorkOrderId",
                table: "Complaints",
                column: "WorkOrderId");

            migrationBuilder.AddForeignKey(
                name: "FK_PenaltyCases_Complaints_ComplaintId",
                table: "PenaltyCases",
                column: "ComplaintId",
                principalTable: "Complaints",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_SlaBreaches_Complaints_ComplaintId",
                table: "SlaBreaches",
                column: "ComplaintId",
                principalTable: "Complaints",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_SlaClocks_Complaints_ComplaintId",
                table: "SlaClocks",
                column: "ComplaintId",
                principalTable: "Complaints",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PenaltyCases_Complaints_ComplaintId",
                table: "PenaltyCases");

            migrationBuilder.DropForeignKey(
                name: "FK_SlaBreaches_Complaints_ComplaintId",
                table: "SlaBreaches");

            migrationBuilder.DropForeignKey(
                name: "FK_SlaClocks_Complaints_ComplaintId",
                table: "SlaClocks");

            migrationBuilder.DropTable(
                name: "Complaints");

            migrationBuilder.DropIndex(
                name: "IX_SlaClocks_ComplaintId",
                table: "SlaClocks");

            migrationBuilder.DropCheckConstraint(
                name: "CK_SlaClocks_Subject",
                table: "SlaClocks");

            migrationBuilder.DropIndex(
                name: "IX_SlaBreaches_ComplaintId",
                table: "SlaBreaches");

            migrationBuilder.DropIndex(
                name: "IX_PenaltyCases_ComplaintId",
                table: "PenaltyCases");

            migrationBuilder.DropColumn(
                name: "ComplaintId",
                table: "SlaClocks");

            migrationBuilder.DropColumn(
                name: "ComplaintId",
                table: "SlaBreaches");

            migrationBuilder.DropColumn(
                name: "ComplaintId",
                table: "PenaltyCases");

            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "SlaClocks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "SlaBreaches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
