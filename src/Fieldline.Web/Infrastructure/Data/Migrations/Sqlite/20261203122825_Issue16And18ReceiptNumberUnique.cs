using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldline.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue16And18ReceiptNumberUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A receipt number identifies one hand-in (ConfirmHandIn): numbers already saved are compared as new ones are
            // (spaces removed, upper case), and a number used by several hand-ins keeps it on the first; the later ones are
            // marked "#<id>" so that the unique index can be created and the duplicates stay visible to finance.
            migrationBuilder.Sql("""
                UPDATE "CashHandIns" SET "ReceiptNumber" = upper(replace("ReceiptNumber", ' ', '')) WHERE "ReceiptNumber" IS NOT NULL;
                UPDATE "CashHandIns" SET "ReceiptNumber" = substr("ReceiptNumber", 1, 44) || '#' || CAST("Id" AS TEXT)
                WHERE "ReceiptNumber" IS NOT NULL
                  AND EXISTS (SELECT 1 FROM "CashHandIns" AS e WHERE e."ReceiptNumber" = "CashHandIns"."ReceiptNumber" AND e."Id" < "CashHandIns"."Id");
                """);
            migrationBuilder.CreateIndex(
                name: "IX_CashHandIns_ReceiptNumber",
                table: "CashHandIns",
                column: "ReceiptNumber",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CashHandIns_ReceiptNumber",
                table: "CashHandIns");
        }
    }
}
