using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class PayStatementLineTestsOnSqlite(SqliteFixture app) : PayStatementLineTests(app);
[Collection(PostgresCollection.Name)] public sealed class PayStatementLineTestsOnPostgres(PostgresFixture app) : PayStatementLineTests(app);

/// <summary>
/// What a fine's line says on the pay statement (README: "every line, with the lines behind each"): the fine by the name
/// the penalty case shows, and the order it was for, as a bonus line names its orders — on the ledger, the statement, the
/// PDF and the workbook. A confirmed penalty whose step costs no money is a sanction, never "a fine of ¥0.00".
/// </summary>
public abstract class PayStatementLineTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_fine_line_names_the_fine_and_its_order_and_a_sanction_without_money_is_no_fine_of_zero()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        try
        {
            var name = $"线{Guid.NewGuid():N}"[..8];
            var login = $"s{Guid.NewGuid():N}"[..12];
            var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
            var person = (int)(await app.Api("admin").Post("/api/users", new { username = login, displayName = name, password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
                .Expect(HttpStatusCode.Created).Id;
            (await _given.Manager.Post("/api/technicians", new { userId = person, skills = new[] { "ac.install" }, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created);
            var order = await _given.NewRepairOrder();
            var (orderId, code) = (order["id"]!.GetValue<long>(), order["code"]!.GetValue<string>());

            // SC-34: the installer refuses an assignment on the order (PEN-61: 100), then again (2nd step: no money, eligibility revoked).
            var first = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-48", personUserId = person, workOrderId = orderId })).Expect(HttpStatusCode.OK).Body["cases"]![0]!;
            Assert.Equal((100m, "confirmed"), (first["amount"]!.GetValue<decimal>(), first["state"]!.GetValue<string>()));
            var fineName = first["fine"]!.GetValue<string>();
            Assert.Equal("安装工不服从工作安排", fineName);
            var second = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-48", personUserId = person })).Expect(HttpStatusCode.OK).Body["cases"]![0]!;
            Assert.Equal((0m, "confirmed"), (second["amount"]!.GetValue<decimal>(), second["state"]!.GetValue<string>()));
            var month = first["createdAt"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM", CultureInfo.InvariantCulture);

            var ledger = (await app.Api("finance").Get($"/api/pay-ledger?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            var fineLine = ledger.Single(l => l!["amount"]!.GetValue<decimal>() == -100m)!;
            Assert.Equal("罚款:" + fineName, fineLine["description"]!.GetValue<string>());
            Assert.Equal([orderId], fineLine["workOrderIds"]!.AsArray().Select(x => x!.GetValue<long>()));

            var statement = Assert.Single((await app.Api("finance").Get($"/api/pay-statements?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
            var lines = statement["lines"]!.AsArray();
            var deduction = lines.Single(l => l!["kind"]!.GetValue<string>() == "deduction")!;
            Assert.Equal(("PEN-61", -100m, "罚款:" + fineName), (deduction["ruleId"]!.GetValue<string>(), deduction["amount"]!.GetValue<decimal>(), deduction["description"]!.GetValue<string>()));
            Assert.Equal([code], deduction["orders"]!.AsArray().Select(o => o!["code"]!.GetValue<string>()));
            var sanction = lines.Single(l => l!["kind"]!.GetValue<string>() == "sanction")!;
            Assert.Equal((0m, "处分(无罚款):" + fineName), (sanction["amount"]!.GetValue<decimal>(), sanction["description"]!.GetValue<string>()));
            Assert.Equal(-100m, statement["totals"]!["deduction"]!.GetValue<decimal>());

            var pdf = await app.Api("finance").Get($"/api/pay-statements/{person}/{month}.pdf");
            var text = await PdfText.Of(await pdf.Expect(HttpStatusCode.OK).Raw.Content.ReadAsByteArrayAsync());
            Assert.Contains("罚款:" + fineName, text);
            Assert.Contains(code, text);
            Assert.Contains("处分(不扣款)", text);
            Assert.DoesNotContain("¥0.00", text[..text.IndexOf("合计", StringComparison.Ordinal)]); // the lines, before the totals
            Assert.DoesNotContain("罚款 PEN-61", text);

            var book = await app.Api("finance").Get($"/api/pay-statements/workbook.xlsx?month={month}&branchId={branchId}");
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await book.Expect(HttpStatusCode.OK).Raw.Content.ReadAsByteArrayAsync()));
            using var sheet = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
            System.Xml.Linq.XNamespace x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            var rows = System.Xml.Linq.XDocument.Load(sheet).Descendants(x + "row").Select(r => r.Elements(x + "c").Select(c => c.Value).ToList())
                .Where(r => r.Count > 1 && r[1] == name).ToList();
            var fineRow = rows.Single(r => r[2] == "扣款");
            Assert.Equal(("PEN-61", "罚款:" + fineName, -100m, code), (fineRow[3], fineRow[4], decimal.Parse(fineRow[5], CultureInfo.InvariantCulture), fineRow[6]));
            var sanctionRow = rows.Single(r => r[2] == "处分(不扣款)");
            Assert.Equal(("处分(无罚款):" + fineName, ""), (sanctionRow[4], sanctionRow[5]));
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }
}
