using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceTrips : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ServiceTrips",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: false),
                    TechnicianId = table.Column<int>(type: "INTEGER", nullable: false),
                    TechnicianUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkOrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    SentBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SentByUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ArrivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ArrivalProgress = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ArrivalConditions = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ReturnedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReportSummary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReviewNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RestDays = table.Column<int>(type: "INTEGER", nullable: true),
                    RestFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RestLeaveId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceTrips", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceTrips_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceTrips_LeaveRequests_RestLeaveId",
                        column: x => x.RestLeaveId,
                        principalTable: "LeaveRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceTrips_Technicians_TechnicianId",
                        column: x => x.TechnicianId,
                        principalTable: "Technicians",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceTrips_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TripLogEntry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TripId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Work = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Suggestion = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Adopted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reward = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TripLogEntry", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TripLogEntry_ServiceTrips_TripId",
                        column: x => x.TripId,
                        principalTable: "ServiceTrips",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceTrips_BranchId_Status_Id",
                table: "ServiceTrips",
                columns: new[] { "BranchId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceTrips_RestLeaveId",
                table: "ServiceTrips",
                column: "RestLeaveId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceTrips_TechnicianId_Status",
                table: "ServiceTrips",
                columns: new[] { "TechnicianId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceTrips_WorkOrderId",
                table: "ServiceTrips",
                column: "WorkOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_TripLogEntry_TripId_Day",
                table: "TripLogEntry",
                columns: new[] { "TripId", "Day" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TripLogEntry");

            migrationBuilder.DropTable(
                name: "ServiceTrips");
        }
    }
}
