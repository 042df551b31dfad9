using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Parts;

[Collection(SqliteCollection.Name)] public sealed class PartsCostReportTestsOnSqlite(SqliteFixture app) : PartsCostReportTests(app);
[Collection(PostgresCollection.Name)] public sealed class PartsCostReportTestsOnPostgres(PostgresFixture app) : PartsCostReportTests(app);

/// <summary>
/// The monthly parts cost report (SC-26, PRT-10/11, RPT-05): per part, quantity issued to repairs, unit cost, total, split
/// in / out of warranty, from the month's stock lines; submitted by the supervisor to finance (the date recorded); a
/// reminder to the supervisor when it is not submitted by the policy's day; Excel and PDF.
/// </summary>
public abstract class PartsCostReportTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Keeper => app.Api("warehouse");

    private async Task<string> Part(decimal unitCost)
    {
        var number = $"C{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        (await Keeper.Post("/api/parts", new { partNumber = number, name = "主板", productLine = "ac", unitCost, listPrice = unitCost * 3 })).Expect(HttpStatusCode.Created);
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 10 })).Expect(HttpStatusCode.OK);
        return number;
    }

    /// <summary>A repair order of tech01 walked to on-site; out of warranty when the product was bought in 2015 with 12 months.</summary>
    private Task<long> OnSite(bool inWarranty) => OnSite(app, _given, inWarranty);

    internal static async Task<long> OnSite(AppFixture app, Given _given, bool inWarranty)
    {
        var customer = await _given.Customer();
        var serial = inWarranty ? await _given.Product(customer) : await _given.Product(customer, warrantyMonths: 12, purchased: new DateOnly(2015, 1, 10));
        var id = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Id;
        var tech = app.Api("tech01");
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = await _given.TechnicianId("tech01") })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = app.LocalNow.AddHours(1), end = app.LocalNow.AddHours(3) } })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        return id;
    }

    private Task Complete(long order, params (string Number, int Quantity)[] parts) => Complete(app, order, parts);

    internal static async Task Complete(AppFixture app, long order, params (string Number, int Quantity)[] parts)
    {
        app.Clock.Advance(TimeSpan.FromMinutes(45)); // on site long enough for the test run claimed
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!;
        body["partsUsed"] = new JsonArray(parts.Select(p => (JsonNode)new JsonObject { ["partNumber"] = p.Number, ["name"] = "主板", ["quantity"] = p.Quantity }).ToArray());
        (await app.Api("tech01").Send(HttpMethod.Post, $"/api/work-orders/{order}/complete", null,
            content: new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC26_the_months_parts_cost_table_lists_each_part_issued_with_unit_cost_and_total_split_in_and_out_of_warranty_and_the_supervisors_submission_is_recorded()
    {
        var board = await Part(18.00m);
        var valve = await Part(35.50m);
        await _given.SettleMoneyHeldBy(await _given.TechnicianId("tech01")); // earlier tests may leave tech01 owing parts cost (FEE-12)
        var req = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = board, quantity = 3 }, new { partNumber = valve, quantity = 1 } } }))
            .Expect(HttpStatusCode.Created).Id;
        (await Keeper.Post($"/api/requisitions/{req}/issue")).Expect(HttpStatusCode.OK);
        var inWarranty = await OnSite(inWarranty: true);
        var outOfWarranty = await OnSite(inWarranty: false);
        await Complete(inWarranty, (board, 2));
        await Complete(outOfWarranty, (board, 1), (valve, 1));
        var month = app.LocalNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var report = (await app.Api("supervisor").Get($"/api/reports/parts-cost?month={month}")).Expect(HttpStatusCode.OK).Body;
        var lines = report["lines"]!.AsArray();
        var b = lines.Single(l => l!["partNumber"]!.GetValue<string>() == board)!;
        Assert.Equal((3, 18.00m, 54.00m, 2, 36.00m, 1, 18.00m), (b["quantity"]!.GetValue<int>(), b["unitCost"]!.GetValue<decimal>(), b["total"]!.GetValue<decimal>(),
            b["inWarrantyQuantity"]!.GetValue<int>(), b["inWarrantyTotal"]!.GetValue<decimal>(), b["outOfWarrantyQuantity"]!.GetValue<int>(), b["outOfWarrantyTotal"]!.GetValue<decimal>()));
        var v = lines.Single(l => l!["partNumber"]!.GetValue<string>() == valve)!;
        Assert.Equal((1, 35.50m, 0, 1, 35.50m), (v["quantity"]!.GetValue<int>(), v["total"]!.GetValue<decimal>(), v["inWarrantyQuantity"]!.GetValue<int>(),
            v["outOfWarrantyQuantity"]!.GetValue<int>(), v["outOfWarrantyTotal"]!.GetValue<decimal>()));
        Assert.Equal(lines.Sum(l => l!["total"]!.GetValue<decimal>()), report["total"]!.GetValue<decimal>());
        Assert.Null(report["submittedAt"]);

        // Excel and PDF, in Chinese.
        using var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await app.Token(client, "supervisor"));
        var xlsx = await client.GetAsync($"/api/reports/parts-cost.xlsx?month={month}");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var sheet = Fieldline.Web.Features.Parts.XlsxSheet.Read(await xlsx.Content.ReadAsStreamAsync())!.Values.Select(r => r.Values.ToList()).ToList();
        Assert.Contains(sheet, row => row.Contains("发出数量"));
        Assert.Contains(sheet, row => row.Count > 4 && row[0] == board && row[3] == "3" && decimal.Parse(row[4], CultureInfo.InvariantCulture) == 54.00m);
        var pdf = await client.GetAsync($"/api/reports/parts-cost.pdf?month={month}");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.True((await pdf.Content.ReadAsByteArrayAsync()).Length > 1000);

        // The supervisor submits it to finance: the date is recorded, once.
        (await Keeper.Post($"/api/reports/parts-cost/submit?month={month}")).Expect(HttpStatusCode.Forbidden);
        var submitted = (await app.Api("supervisor").Post($"/api/reports/parts-cost/submit?month={month}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(app.Clock.GetUtcNow(), submitted["submittedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("售后主管老黄", submitted["submittedBy"]!.GetValue<string>());
        Assert.Equal(submitted["total"]!.GetValue<decimal>(), submitted["submittedTotal"]!.GetValue<decimal>());
        (await app.Api("supervisor").Post($"/api/reports/parts-cost/submit?month={month}")).Expect(HttpStatusCode.Conflict);
        Assert.Equal(submitted["submittedAt"]!.GetValue<DateTimeOffset>(), (await app.Api("finance").Get($"/api/reports/parts-cost?month={month}")).Body["submittedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task SC26_a_part_is_reported_at_the_cost_it_was_used_at_and_a_cost_changed_in_the_catalogue_later_does_not_rewrite_the_month()
    {
        var relay = await Part(18.00m);
        await _given.SettleMoneyHeldBy(await _given.TechnicianId("tech01"));
        var req = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = relay, quantity = 2 } } })).Expect(HttpStatusCode.Created).Id;
        (await Keeper.Post($"/api/requisitions/{req}/issue")).Expect(HttpStatusCode.OK);
        var outOfWarranty = await OnSite(inWarranty: false);
        await Complete(outOfWarranty, (relay, 1));

        // The supplier's price rises: the keeper imports the new cost. The relay already used stays at 18.00.
        var reimport = (await Keeper.Send(HttpMethod.Post, "/api/parts/import", null, content: Workbook.Upload(Workbook.Of(["配件编号", "配件名称", "成本价", "销售价"], [relay, "主板", 25.00m, 75.00m]))))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(1, reimport["updated"]!.GetValue<int>());
        var inWarranty = await OnSite(inWarranty: true);
        await Complete(inWarranty, (relay, 1));
        var month = app.LocalNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var report = (await app.Api("supervisor").Get($"/api/reports/parts-cost?month={month}")).Expect(HttpStatusCode.OK).Body;
        var lines = report["lines"]!.AsArray().Where(l => l!["partNumber"]!.GetValue<string>() == relay)
            .Select(l => (l!["unitCost"]!.GetValue<decimal>(), l["quantity"]!.GetValue<int>(), l["total"]!.GetValue<decimal>(), l["inWarrantyTotal"]!.GetValue<decimal>(), l["outOfWarrantyTotal"]!.GetValue<decimal>()))
            .ToArray();
        Assert.Equal([(18.00m, 1, 18.00m, 0.00m, 18.00m), (25.00m, 1, 25.00m, 25.00m, 0.00m)], lines);
        Assert.Equal(report["lines"]!.AsArray().Sum(l => l!["total"]!.GetValue<decimal>()), report["total"]!.GetValue<decimal>());
        Assert.Equal(report["inWarrantyTotal"]!.GetValue<decimal>() + report["outOfWarrantyTotal"]!.GetValue<decimal>(), report["total"]!.GetValue<decimal>());
        await _given.SettleMoneyHeldBy(await _given.TechnicianId("tech01"));
        Assert.Equal([18.00m, 25.00m], await app.Db(db => db.StockMovements.Where(m => m.Kind == Fieldline.Web.Features.Parts.StockMovementKind.Use && db.Parts.Any(p => p.Id == m.PartId && p.PartNumber == relay))
            .OrderBy(m => m.Id).Select(m => m.UnitCost!.Value).ToListAsync()));
    }

    [Fact]
    public async Task SC26_a_console_user_downloads_the_months_workbook_and_PDF_from_the_parts_cost_page_with_the_console_cookie()
    {
        var part = await Part(12.50m);
        var req = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = part, quantity = 2 } } })).Expect(HttpStatusCode.Created).Id;
        (await Keeper.Post($"/api/requisitions/{req}/issue")).Expect(HttpStatusCode.OK);
        var order = await OnSite(inWarranty: true); // in warranty: tech01 owes no parts cost (FEE-12) to the tests after this one
        await Complete(order, (part, 2));
        var month = app.LocalNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var console = await ConsoleSession.SignIn(app, "supervisor");
        var page = await console.Get($"/reports/parts-cost?month={month}");
        Assert.Contains($"/reports/parts-cost?handler=Xlsx&amp;month={month}", page);
        Assert.Contains($"/reports/parts-cost?handler=Pdf&amp;month={month}", page);
        Assert.DoesNotContain("/api/reports/parts-cost", page); // the API's downloads want a token: 401 with the console's cookie
        Assert.Equal(HttpStatusCode.Unauthorized, await console.Status($"/api/reports/parts-cost.xlsx?month={month}"));

        var (type, xlsx) = await console.Download($"/reports/parts-cost?handler=Xlsx&month={month}");
        Assert.Equal(Fieldline.Web.Features.Parts.ExportPartsCostReport.XlsxType, type);
        var sheet = Fieldline.Web.Features.Parts.XlsxSheet.Read(new MemoryStream(xlsx))!.Values.Select(r => r.Values.ToList()).ToList();
        Assert.Contains(sheet, row => row.Contains("发出数量"));
        Assert.Contains(sheet, row => row.Count > 6 && row[0] == part && row[3] == "2" && decimal.Parse(row[4], CultureInfo.InvariantCulture) == 25.00m
            && decimal.Parse(row[6], CultureInfo.InvariantCulture) == 25.00m);
        var (pdfType, pdf) = await console.Download($"/reports/parts-cost?handler=Pdf&month={month}");
        Assert.Equal("application/pdf", pdfType);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
    }

    [Fact]
    public async Task SC26_the_supervisor_is_reminded_once_when_last_months_report_is_not_submitted_by_the_policys_day()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"配件-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var keeper = $"k{Guid.NewGuid():N}"[..12];
        var supervisor = $"s{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = keeper, displayName = "仓管", password = AppFixture.Password, roles = new[] { "warehouseKeeper" }, branchId = branch })).Expect(HttpStatusCode.Created);
        (await admin.Post("/api/users", new { username = supervisor, displayName = "主管", password = AppFixture.Password, roles = new[] { "supervisor" }, branchId = branch })).Expect(HttpStatusCode.Created);
        (await app.Api(keeper).Get("/api/stock/locations")).Expect(HttpStatusCode.OK); // the branch's parts warehouse exists

        var now = app.LocalNow;
        var month = now.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var next = new DateTimeOffset(now.Year, now.Month, 1, 9, 0, 0, TimeSpan.FromHours(8)).AddMonths(1);
        Task<int> Reminders() => app.Db(db => db.Outbox.AsNoTracking().CountAsync(m => m.Kind == "partsCostReportLate" && m.BranchId == branch));
        await app.At(next.AddDays(4)); // the 5th: due today, not late yet
        Assert.Equal(0, await Reminders());
        Assert.False((await app.Api(supervisor).Get($"/api/reports/parts-cost?month={month}")).Expect(HttpStatusCode.OK).Body["late"]!.GetValue<bool>());
        await app.At(next.AddDays(5)); // the 6th
        Assert.Equal(1, await Reminders());
        await app.Tick();
        Assert.Equal(1, await Reminders());
        var report = (await app.Api(supervisor).Get("/api/reports/parts-cost")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(month, report["month"]!.GetValue<string>());
        Assert.True(report["late"]!.GetValue<bool>());
        Assert.Equal(next.AddDays(4).ToString("yyyy-MM-dd"), report["dueOn"]!.GetValue<string>());
        Assert.Contains("month", (await app.Api(supervisor).Get("/api/reports/parts-cost?month=2024-13")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await app.Api(supervisor).Get($"/api/reports/parts-cost?branchId={headOffice}")).Expect(HttpStatusCode.NotFound);
    }
}
