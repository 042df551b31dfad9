using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PolicySignOff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_TripLogEntry_ServiceTrips_TripId",
                table: "TripLogEntry");

            migrationBuilder.DropPrimaryKey(
                name: "PK_TripLogEntry",
                table: "TripLogEntry");

            migrationBuilder.RenameTable(
                name: "TripLogEntry",
                newName: "TripLogEntries");

            migrationBuilder.RenameIndex(
                name: "IX_TripLogEntry_TripId_Day",
                table: "TripLogEntries",
                newName: "IX_TripLogEntries_TripId_Day");

            migrationBuilder.AddPrimaryKey(
                name: "PK_TripLogEntries",
                table: "TripLogEntries",
                column: "Id");

            migrationBuilder.CreateTable(
                name: "PolicyDrafts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    BasedOn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EffectiveFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ChangeJson = table.Column<string>(type: "text", nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Steps = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PreparedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PreparedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReviewedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CountersignedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CountersignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ApprovedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedVersion = table.Column<int>(type: "integer", nullable: true),
                    RejectedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RejectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RejectionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyDrafts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyDrafts_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyDrafts_BranchId_Id",
                table: "PolicyDrafts",
                columns: new[] { "BranchId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyDrafts_Status_Id",
                table: "PolicyDrafts",
                columns: new[] { "Status", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_TripLogEntries_ServiceTrips_TripId",
                table: "TripLogEntries",
                column: "TripId",
                principalTable: "ServiceTrips",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_TripLogEntries_ServiceTrips_TripId",
                table: "TripLogEntries");

            migrationBuilder.DropTable(
                name: "PolicyDrafts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_TripLogEntries",
                table: "TripLogEntries");

            migrationBuilder.RenameTable(
                name: "TripLogEntries",
                newName: "TripLogEntry");

            migrationBuilder.RenameIndex(
                name: "IX_TripLogEntries_TripId_Day",
                table: "TripLogEntry",
                newName: "IX_TripLogEntry_TripId_Day");

            migrationBuilder.AddPrimaryKey(
                name: "PK_TripLogEntry",
                table: "TripLogEntry",
                column: "Id");

            migrationBuilder.AddForeignKey(
                name: "FK_TripLogEntry_ServiceTrips_TripId",
                table: "TripLogEntry",
                column: "TripId",
                principalTable: "ServiceTrips",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
