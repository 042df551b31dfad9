using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
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
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "ComplaintId",
                table: "SlaClocks",
                type: "bigint",
                nullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "SlaBreaches",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "ComplaintId",
                table: "SlaBreaches",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ComplaintId",
                table: "PenaltyCases",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Complaints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    PolicyVersionId = table.Column<int>(type: "integer", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: true),
                    CustomerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    WorkOrderId = table.Column<long>(type: "bigint", nullable: true),
                    PersonUserId = table.Column<int>(type: "integer", nullable: true),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Level = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Major = table.Column<bool>(type: "boolean", nullable: false),
                    AngryCustomer = table.Column<bool>(type: "boolean", nullable: false),
                    CustomerDeparted = table.Column<bool>(type: "boolean", nullable: false),
                    RoutedTo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    OwnerRole = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    EscalationReason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    RepeatCount = table.Column<int>(type: "integer", nullable: false),
                    FineNote = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedByUserId = table.Column<int>(type: "integer", nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    VerifiedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    VerificationNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RejectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RejectedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RejectionReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolvedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CustomerNotified = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "WorkOrderId",
                table: "SlaBreaches",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
