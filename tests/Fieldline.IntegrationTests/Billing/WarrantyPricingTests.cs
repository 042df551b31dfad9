using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Billing;

[Collection(SqliteCollection.Name)] public sealed class WarrantyPricingTestsOnSqlite(SqliteFixture app) : WarrantyPricingTests(app);
[Collection(PostgresCollection.Name)] public sealed class WarrantyPricingTestsOnPostgres(PostgresFixture app) : WarrantyPricingTests(app);

/// <summary>
/// The warranty decides the price (WAR-01, WAR-03, FEE-04, FEE-08, FEE-10; SC-23, SC-28): charge lines refer to the price
/// list or the catalogue, a covered item is free in warranty, a consumable or customer-paid material is charged, labour is 0
/// after a purifier's year, and a price above 2× the standard or without a price code needs a supervisor's override.
/// </summary>
public abstract class WarrantyPricingTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Keeper => app.Api("warehouse");

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<string> Part(string name, decimal listPrice, string warrantyClass = "covered", string line = "purifier")
    {
        var number = $"W{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        (await Keeper.Post("/api/parts", new { partNumber = number, name, productLine = line, unitCost = decimal.Round(listPrice / 2, 2), listPrice, warrantyClass }))
            .Expect(HttpStatusCode.Created);
        return number;
    }

    /// <summary>A technician ccec may dispatch (TRN-06: the training pass).</summary>
    private async Task<(string User, int TechnicianId, int UserId)> CcecTechnician()
    {
        var tech = await _given.NewTechnician();
        (await app.Api("supervisor").Post("/api/certificates", new
        {
            technicianId = tech.TechnicianId, kind = "trainingPass", number = $"C{Guid.NewGuid():N}"[..10],
            validFrom = app.LocalNow.AddYears(-1).ToString("yyyy-MM-dd"), validTo = app.LocalNow.AddYears(1).ToString("yyyy-MM-dd"),
        })).Expect(HttpStatusCode.Created);
        return tech;
    }

    /// <summary>A repair of a unit bought on <paramref name="purchased"/> with the given warranty, walked on site by the technician.</summary>
    private async Task<JsonNode> OnSite(string tech, int technicianId, string line, DateOnly purchased, int warrantyMonths)
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer, line, warrantyMonths, purchased);
        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, "漏水"))).Expect(HttpStatusCode.Created).Body;
        var id = order["id"]!.GetValue<long>();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId })).Expect(HttpStatusCode.OK);
        var t = app.Api(tech);
        (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var start = app.LocalNow.AddHours(1);
        (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start, end = start.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(45)); // on site long enough for the test run claimed
        return order;
    }

    private static JsonObject Completion(params object[] charges)
    {
        var body = JsonNode.Parse(JsonSerializer.Serialize(Given.CompleteBody(), JsonSerializerOptions.Web))!.AsObject();
        body["charges"] = JsonNode.Parse(JsonSerializer.Serialize(charges, JsonSerializerOptions.Web));
        return body;
    }

    private static decimal Amount(JsonNode charge) => charge["amount"]!.GetValue<decimal>();

    /// <summary>
    /// A line with a price code (or a part number) names itself: its description may be left out and is the price list's
    /// name, as a client generated from the served OpenAPI document sends it; a free-text line must still say what it is.
    /// </summary>
    [Fact]
    public async Task A_charge_with_a_price_code_takes_its_description_from_the_price_list_and_the_served_schema_lists_the_field()
    {
        var (id, tech) = await _given.OnSite("repair");
        var pipe = (await tech.Get("/api/price-list")).Expect(HttpStatusCode.OK).Body.AsArray().Single(p => p!["code"]!.GetValue<string>() == "M-PVC-PIPE")!["name"]!.GetValue<string>();

        var refused = (await tech.Post($"/api/work-orders/{id}/complete", Completion(
            new { priceCode = "M-PVC-PIPE", quantity = 4, amount = 30.00m },
            new { amount = 0m }))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["charges[1].description"], refused.ErrorFields);

        var done = (await tech.Post($"/api/work-orders/{id}/complete", Completion(new { priceCode = "M-PVC-PIPE", quantity = 4, amount = 30.00m }))).Expect(HttpStatusCode.OK).Body;
        var line = Assert.Single(done["charges"]!.AsArray())!;
        Assert.Equal((pipe, "M-PVC-PIPE", 30.00m), (line["description"]!.GetValue<string>(), line["priceCode"]!.GetValue<string>(), Amount(line)));

        var schema = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!["ChargeInput"]!;
        Assert.Contains("description", schema["properties"]!.AsObject().Select(p => p.Key));
        Assert.DoesNotContain("description", schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? []);
        Assert.Contains("price list", schema["properties"]!["description"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task SC28_a_purifier_inside_its_year_is_repaired_free_except_the_filter_cartridge_charged_at_list_price()
    {
        await Policy("ccec-water-purifier");
        try
        {
            var li = await CcecTechnician();
            var filter = await Part("PP棉滤芯", 35.00m, "consumable");
            var pump = await Part("增压泵", 180.00m);
            var today = DateOnly.FromDateTime(app.LocalNow.Date);
            // Bought 11 months and 9 days ago (SC-28: bought 2024-03-01, fault on 2025-02-10): inside the 12 months.
            var order = await OnSite(li.User, li.TechnicianId, "purifier", today.AddMonths(-11).AddDays(-9), 12);
            var id = order["id"]!.GetValue<long>();
            Assert.True(order["inWarranty"]!.GetValue<bool>());
            var t = app.Api(li.User);

            var refused = (await t.Post($"/api/work-orders/{id}/complete", Completion(
                new { description = "上门检测", priceCode = "L-PUR-VISIT", amount = 30.00m },
                new { description = "更换增压泵", partNumber = pump, amount = 180.00m },
                new { description = "更换滤芯", partNumber = filter }))).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["charges[0].amount", "charges[1].amount"], refused.ErrorFields.Order().ToArray());
            Assert.Contains("增压泵", refused.Body["errors"]!["charges[1].amount"]![0]!.GetValue<string>());
            Assert.Contains("FEE-08", refused.Body["errors"]!["charges[1].amount"]![0]!.GetValue<string>());
            Assert.Equal("inProgress", (await t.Get($"/api/work-orders/{id}")).Str("status"));

            // Without amounts the lines are priced: the covered pump and the visit are free, the filter is its list price.
            var done = (await t.Post($"/api/work-orders/{id}/complete", Completion(
                new { description = "上门检测", priceCode = "L-PUR-VISIT" },
                new { description = "更换增压泵", partNumber = pump },
                new { description = "更换滤芯", partNumber = filter }))).Expect(HttpStatusCode.OK).Body;
            var charges = done["charges"]!.AsArray();
            Assert.Equal([0.00m, 0.00m, 35.00m], charges.Select(c => Amount(c!)).ToArray());
            Assert.Equal(35.00m, charges[2]!["standardPrice"]!.GetValue<decimal>());
            Assert.Equal(filter, charges[2]!["partNumber"]!.GetValue<string>());
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC28_a_purifier_after_its_year_is_charged_for_parts_only_and_labour_is_0()
    {
        await Policy("ccec-water-purifier");
        try
        {
            var li = await CcecTechnician();
            var filter = await Part("PP棉滤芯", 35.00m, "consumable");
            var pump = await Part("增压泵", 180.00m);
            var today = DateOnly.FromDateTime(app.LocalNow.Date);
            // Bought 12 months and 4 days ago (SC-28: bought 2024-03-01, fault on 2025-03-05): the warranty has ended.
            var order = await OnSite(li.User, li.TechnicianId, "purifier", today.AddMonths(-12).AddDays(-4), 12);
            var id = order["id"]!.GetValue<long>();
            Assert.False(order["inWarranty"]!.GetValue<bool>());
            var t = app.Api(li.User);

            var labour = (await t.Post($"/api/work-orders/{id}/complete", Completion(
                new { description = "上门检测", priceCode = "L-PUR-VISIT", amount = 30.00m },
                new { description = "更换增压泵", partNumber = pump }))).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["charges[0].amount"], labour.ErrorFields);
            Assert.Contains("WAR-01", labour.Body["errors"]!["charges[0].amount"]![0]!.GetValue<string>());

            var done = (await t.Post($"/api/work-orders/{id}/complete", Completion(
                new { description = "上门检测", priceCode = "L-PUR-VISIT" },
                new { description = "更换增压泵", partNumber = pump },
                new { description = "更换滤芯", partNumber = filter, quantity = 2 }))).Expect(HttpStatusCode.OK).Body;
            Assert.Equal([0.00m, 180.00m, 70.00m], done["charges"]!.AsArray().Select(c => Amount(c!)).ToArray());
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task FEE08_an_in_warranty_visit_fee_is_refused_naming_the_line_while_customer_paid_materials_are_charged_FEE10()
    {
        var id = await _given.OrderIn("inProgress");
        var tech = app.Api("tech01");
        var refused = (await tech.Post($"/api/work-orders/{id}/complete", Completion(
            new { description = "PVC水管", priceCode = "M-PVC-PIPE", quantity = 3, amount = 24.00m },
            new { description = "上门检测", priceCode = "L-AC-VISIT", amount = 50.00m },
            new { description = "辛苦费", amount = 20.00m }))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["charges[1].amount", "charges[2].amount"], refused.ErrorFields.Order().ToArray());
        Assert.Contains("空调上门检测费", refused.Body["errors"]!["charges[1].amount"]![0]!.GetValue<string>());
        Assert.Equal("inProgress", (await tech.Get($"/api/work-orders/{id}")).Str("status"));

        var done = (await tech.Post($"/api/work-orders/{id}/complete", Completion(
            new { description = "PVC水管", priceCode = "M-PVC-PIPE", quantity = 3 },
            new { description = "上门检测", priceCode = "L-AC-VISIT", amount = 0.00m }))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal([24.00m, 0.00m], done["charges"]!.AsArray().Select(c => Amount(c!)).ToArray());
    }

    [Fact]
    public async Task SC23_260_against_a_standard_of_120_is_refused_240_is_accepted_and_only_a_supervisors_override_with_a_reason_saves_260_flagged()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var capacitor = await Part("风扇电容", 120.00m, line: "ac");
            var tech = app.Api("tech01");
            var first = await _given.OrderIn("inProgress", inWarranty: false);
            var over = (await tech.Post($"/api/work-orders/{first}/complete", Completion(new { description = "更换风扇电容", partNumber = capacitor, amount = 260.00m })))
                .Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["charges[0].amount"], over.ErrorFields);
            Assert.Contains("240.00", over.Body["errors"]!["charges[0].amount"]![0]!.GetValue<string>());

            // Only a supervisor approves, with a reason; the line is then saved and flagged.
            var approval = new { partNumber = capacitor, amount = 260.00m, reason = "夜间加急，客户同意" };
            (await tech.Post($"/api/work-orders/{first}/price-approvals", approval)).Expect(HttpStatusCode.Forbidden);
            var noReason = (await app.Api("supervisor").Post($"/api/work-orders/{first}/price-approvals", new { partNumber = capacitor, amount = 260.00m })).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["reason"], noReason.ErrorFields);
            (await app.Api("supervisor").Post($"/api/work-orders/{first}/price-approvals", approval)).Expect(HttpStatusCode.OK);
            var saved = (await tech.Post($"/api/work-orders/{first}/complete", Completion(new { description = "更换风扇电容", partNumber = capacitor, amount = 260.00m })))
                .Expect(HttpStatusCode.OK).Body["charges"]![0]!;
            Assert.Equal(260.00m, Amount(saved));
            Assert.Equal("夜间加急，客户同意", saved["overrideReason"]!.GetValue<string>());
            Assert.Equal("supervisor", saved["overrideBy"]!.GetValue<string>());
            (await app.Api("supervisor").Post($"/api/work-orders/{first}/price-approvals", approval)).Expect(HttpStatusCode.Conflict); // the work is done

            var second = await _given.OrderIn("inProgress", inWarranty: false);
            var atCap = (await tech.Post($"/api/work-orders/{second}/complete", Completion(new { description = "更换风扇电容", partNumber = capacitor, amount = 240.00m })))
                .Expect(HttpStatusCode.OK).Body["charges"]![0]!;
            Assert.Equal(240.00m, Amount(atCap));
            Assert.Null(atCap["overrideReason"]);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task FEE04_the_technician_asks_for_a_price_above_the_cap_the_supervisor_is_told_approves_it_as_asked_and_the_technician_is_told()
    {
        var id = await _given.OrderIn("inProgress", inWarranty: false);
        var tech = app.Api("tech01");
        var blank = (await tech.Post($"/api/work-orders/{id}/price-approval-request", new { priceCode = "L-AC-REFILL", amount = 420.00m })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], blank.ErrorFields);
        var unknown = (await tech.Post($"/api/work-orders/{id}/price-approval-request", new { priceCode = "NO-SUCH", amount = 420.00m, reason = "x" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["priceCode"], unknown.ErrorFields);
        var cents = (await tech.Post($"/api/work-orders/{id}/price-approval-request", new { priceCode = "L-AC-REFILL", amount = 420.001m, reason = "x" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["amount"], cents.ErrorFields);
        (await app.Api("tech02").Post($"/api/work-orders/{id}/price-approval-request", new { priceCode = "L-AC-REFILL", amount = 420.00m, reason = "不是我的单" })).Expect(HttpStatusCode.NotFound);

        var asked = (await tech.Post($"/api/work-orders/{id}/price-approval-request", new { priceCode = "L-AC-REFILL", amount = 420.00m, reason = "管路加长6米" }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal("priceApprovalRequested", asked["timeline"]!.AsArray().Last()!["action"]!.GetValue<string>());
        Assert.Empty(asked["charges"]!.AsArray()); // nothing is charged by asking
        await app.Tick();
        var told = (await app.Api("supervisor").Get("/api/notifications?kind=priceApprovalRequested&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(told, n => n!["kind"]!.GetValue<string>() == "priceApprovalRequested" && n["body"]!.GetValue<string>().Contains("管路加长6米", StringComparison.Ordinal));

        // The charges page offers the request as asked; approving it answers it.
        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        var page = await supervisor.Get($"/orders/{id}/charging");
        Assert.Contains("id=\"price-request-L-AC-REFILL\"", page, StringComparison.Ordinal);
        var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, "English on the Chinese charges page:\n" + string.Join("\n", english.Take(40)));
        var version = System.Text.RegularExpressions.Regex.Match(page[page.IndexOf("id=\"price-request-L-AC-REFILL\"", StringComparison.Ordinal)..], "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var approved = await supervisor.Post($"/orders/{id}/charging?handler=Approve", new Dictionary<string, string>
        {
            ["version"] = version, ["reference"] = "priceCode", ["priceCode"] = "L-AC-REFILL", ["amount"] = "420.00", ["reason"] = "管路加长6米",
        });
        Assert.DoesNotContain("id=\"price-request-L-AC-REFILL\"", approved, StringComparison.Ordinal);
        await app.Tick();
        var mine = (await tech.Get("/api/notifications?pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(mine, n => n!["kind"]!.GetValue<string>() == "priceApproved" && n["workOrderId"]!.GetValue<long>() == id);
        var saved = (await tech.Post($"/api/work-orders/{id}/complete", Completion(new { description = "加氟", priceCode = "L-AC-REFILL", amount = 420.00m })))
            .Expect(HttpStatusCode.OK).Body["charges"]![0]!;
        Assert.Equal(("管路加长6米", "supervisor"), (saved["overrideReason"]!.GetValue<string>(), saved["overrideBy"]!.GetValue<string>()));
        (await tech.Post($"/api/work-orders/{id}/price-approval-request", new { priceCode = "L-AC-REFILL", amount = 500.00m, reason = "完工后" })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task FEE04_a_free_text_charge_without_a_price_code_needs_a_supervisors_approval_and_is_flagged()
    {
        var id = await _given.OrderIn("inProgress", inWarranty: false);
        var tech = app.Api("tech01");
        var refused = (await tech.Post($"/api/work-orders/{id}/complete", Completion(new { description = "高空作业费", amount = 80.00m }))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["charges[0].amount"], refused.ErrorFields);
        Assert.Contains("FEE-04", refused.Body["errors"]!["charges[0].amount"]![0]!.GetValue<string>());

        (await app.Api("supervisor").Post($"/api/work-orders/{id}/price-approvals", new { description = "高空作业费", amount = 60.00m, reason = "外机在六楼外墙" })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/complete", Completion(new { description = "高空作业费", amount = 80.00m }))).Expect(HttpStatusCode.BadRequest); // above what was approved
        var saved = (await tech.Post($"/api/work-orders/{id}/complete", Completion(new { description = "高空作业费", amount = 60.00m }))).Expect(HttpStatusCode.OK).Body["charges"]![0]!;
        Assert.Equal("外机在六楼外墙", saved["overrideReason"]!.GetValue<string>());
        var otherBranch = (await app.Api("supervisor").Post("/api/work-orders/999999999/price-approvals", new { description = "x", amount = 1m, reason = "x" }));
        otherBranch.Expect(HttpStatusCode.NotFound);
    }
}
