using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class MonthCloseCheckTestsOnSqlite(SqliteFixture app) : MonthCloseCheckTests(app);
[Collection(PostgresCollection.Name)] public sealed class MonthCloseCheckTestsOnPostgres(PostgresFixture app) : MonthCloseCheckTests(app);

/// <summary>
/// Issue 15, "How this will be checked", done as an outsider would, only through HTTP: violations of several kinds under
/// two presets (Gree 2012, then Binchun 2015), appeals upheld, reduced and dismissed, the leak pair (SC-21), the volume
/// bonuses on a crafted day and month (RWD-01/RWD-02), the month closed, and each person's statement read back with every
/// line, its totals by kind and its total compared with the regulation's numbers; closing twice is 409 and a finding
/// decided after the close lands in the next month, saying so.
/// </summary>
public abstract class MonthCloseCheckTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<int> Branch() => (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();

    /// <summary>A new technician of the Changsha branch, with a Chinese name and only the skills given.</summary>
    private async Task<(string User, int UserId, int TechnicianId)> Staff(string displayName, params string[] skills)
    {
        var name = $"k{Guid.NewGuid():N}"[..12];
        var userId = (int)(await app.Api("admin").Post("/api/users", new { username = name, displayName, password = AppFixture.Password, roles = new[] { "technician" }, branchId = await Branch() }))
            .Expect(HttpStatusCode.Created).Id;
        var techId = (int)(await _given.Manager.Post("/api/technicians", new { userId, skills, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created).Id;
        return (name, userId, techId);
    }

    private async Task<JsonArray> Violations(object body, string by = "supervisor") =>
        (await app.Api(by).Post("/api/violations", body)).Expect(HttpStatusCode.OK).Body["cases"]!.AsArray();

    private async Task<JsonNode> Violation(object body, string by = "supervisor") => Assert.Single(await Violations(body, by))!;

    private static (string RuleId, decimal Amount, string State) Fine(JsonNode c) =>
        (c["ruleId"]!.GetValue<string>(), c["amount"]!.GetValue<decimal>(), c["state"]!.GetValue<string>());

    private async Task Appeal(string user, JsonNode c, string reason) =>
        (await app.Api(user).Post($"/api/penalty-cases/{c["id"]}/appeal", new { reason })).Expect(HttpStatusCode.OK);

    private async Task Decide(JsonNode c, object decision) =>
        (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", decision)).Expect(HttpStatusCode.OK);

    /// <summary>An order of <paramref name="type"/> for the unit, dispatched to the technician and accepted; walked on to on site
    /// (<paramref name="onSite"/>) or completed when asked.</summary>
    private async Task<long> Order(string type, long customer, string serial, (string User, int UserId, int TechnicianId) tech, bool complete, bool onSite = false)
    {
        var id = (await _given.Clerk.Post("/api/work-orders", new { type, channel = "hotline", customerId = customer, productSerial = serial, faultDescription = type == "install" ? "新机安装" : "不制冷" }))
            .Expect(HttpStatusCode.Created).Id;
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        var t = app.Api(tech.User);
        (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        if (!complete && !onSite) return id;
        var now = app.LocalNow;
        (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = now, end = now.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        if (!complete) return id;
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        (await t.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        return id;
    }

    private async Task<List<long>> Orders(string type, long customer, string serial, (string User, int UserId, int TechnicianId) tech, int count, bool complete)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++) ids.Add(await Order(type, customer, serial, tech, complete));
        return ids;
    }

    /// <summary>The person's statement of the month as finance reads it; its totals by kind and its total must be the sums of its lines.</summary>
    private async Task<JsonNode> Statement(string month, int person)
    {
        var s = Assert.Single((await app.Api("finance").Get($"/api/pay-statements?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
        var lines = s["lines"]!.AsArray();
        Assert.Equal(lines.Sum(l => l!["amount"]!.GetValue<decimal>()), s["total"]!.GetValue<decimal>());
        foreach (var kind in new[] { "earning", "bonus", "subsidy", "deduction", "reversal" })
            Assert.Equal(lines.Where(l => l!["kind"]!.GetValue<string>() == kind).Sum(l => l!["amount"]!.GetValue<decimal>()), s["totals"]![kind]!.GetValue<decimal>());
        return s;
    }

    private static List<(string Kind, string? RuleId, decimal Amount)> Lines(JsonNode s) => s["lines"]!.AsArray()
        .Select(l => (l!["kind"]!.GetValue<string>(), l["ruleId"]?.GetValue<string>(), l["amount"]!.GetValue<decimal>()))
        .OrderBy(l => l.Item1, StringComparer.Ordinal).ThenBy(l => l.Item2, StringComparer.Ordinal).ThenBy(l => l.Item3).ToList();

    private static List<(string, string?, decimal)> Expected(params (string Kind, string? RuleId, decimal Amount)[] lines) =>
        lines.OrderBy(l => l.Kind, StringComparer.Ordinal).ThenBy(l => l.RuleId, StringComparer.Ordinal).ThenBy(l => l.Amount).Select(l => (l.Kind, l.RuleId, l.Amount)).ToList();

    [Fact]
    public async Task Gree_violations_per_bolt_per_spot_and_split_appeals_the_leak_pair_and_both_volume_bonuses_close_into_statements_that_add_up_to_the_regulations_numbers()
    {
        await Policy("gree-dealer-changsha-2012");
        var ahead = app.LocalNow.AddDays(40);
        DateTimeOffset Day(int d, int h) => new(ahead.Year, ahead.Month, d, h, 0, 0, TimeSpan.FromHours(8));
        var month = Day(1, 0).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var next = Day(1, 0).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await app.At(Day(2, 9));
        var branchId = await Branch();
        var zhang = await Staff("张安装", "ac.install");
        var wang = await Staff("王安装", "ac.install");
        var zhao = await Staff("赵安装", "ac.install");
        var li = await Staff("李维修", "ac.repair");

        // Violations the supervisor finds, each at the regulation's amount, confirmed at once (condition none).
        var uniform = await Violation(new { ruleId = "PEN-04", personUserId = zhang.UserId, evidence = new { text = "上门未穿格力工作服" } });
        Assert.Equal(("PEN-04", 30m, "confirmed"), Fine(uniform));
        var bolts = await Violation(new { ruleId = "PEN-60", personUserId = zhang.UserId, count = 2, evidence = new { text = "外机支架少装2颗膨胀螺栓" } });
        Assert.Equal(("PEN-60", 200m, "confirmed"), Fine(bolts)); // 100 per missing bolt
        var holes = await Violation(new { ruleId = "PEN-66", personUserId = zhang.UserId, count = 3, evidence = new { text = "3处墙孔未用胶泥封堵" } });
        Assert.Equal(("PEN-66", 60m, "confirmed"), Fine(holes)); // 20 per spot
        var split = await Violations(new { ruleId = "PEN-46", presentUserIds = new[] { zhang.UserId, wang.UserId, zhao.UserId }, evidence = new { text = "候工区报纸乱放,无人承认" } });
        Assert.Equal(3, split.Count);
        Assert.All(split, c => Assert.Equal(("PEN-46", 10m, "confirmed"), Fine(c!))); // CND-09: 30 split among the 3 present
        var disobey = await Violation(new { ruleId = "PEN-01", personUserId = li.UserId, evidence = new { text = "不服从调度安排" } });
        Assert.Equal(("PEN-79", 100m, "confirmed"), Fine(disobey)); // the repair technician's own rule
        var card = await Violation(new { ruleId = "PEN-62", personUserId = zhao.UserId, evidence = new { text = "上门未带服务监督卡" } });
        Assert.Equal(("PEN-62", 30m, "proposed"), Fine(card)); // verified: waits for a manager

        // Appeals: upheld, reduced, dismissed.
        await Appeal(zhang.User, uniform, "当天工作服送洗");
        await Decide(uniform, new { outcome = "upheld", reason = "照片显示未穿工作服" });
        await Appeal(zhang.User, holes, "只有一处没封堵");
        await Decide(holes, new { outcome = "reduced", amount = 20m, reason = "复查只有一处未封堵" });
        var wangShare = split.Single(c => c!["personUserId"]!.GetValue<int>() == wang.UserId)!;
        await Appeal(wang.User, wangShare, "当时我在客户家");
        await Decide(wangShare, new { outcome = "dismissed", reason = "派工记录证实不在场" });

        // The leak pair (SC-21): 张 installed the unit; 李 finds a refrigerant leak and 张 did not come within 24 h: −100 / +100.
        var customer = await _given.Customer();
        var installed = await _given.Product(customer);
        await Order("install", customer, installed, zhang, complete: true);
        await app.At(Day(5, 9));
        var onUnit = await Order("repair", customer, installed, li, complete: false, onSite: true);
        var leak = (await _given.Dispatcher.Post($"/api/work-orders/{onUnit}/leak-findings", new { leak = "refrigerant", outcome = "installerNoShow", compressor = "fixedSpeed" }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("PEN-69", 100m, zhang.UserId, 100m, "RWD-05"), (leak["case"]!["ruleId"]!.GetValue<string>(), leak["case"]!["amount"]!.GetValue<decimal>(),
            leak["case"]!["personUserId"]!.GetValue<int>(), leak["subsidy"]!.GetValue<decimal>(), leak["subsidyRuleId"]!.GetValue<string>()));

        // RWD-01 on crafted days: 8 orders all done, none complained of → (8 − 6) × 20; 7 done but one complained of → nothing.
        var unit = await _given.Product(customer);
        await app.At(Day(10, 9));
        var tenth = await Orders("repair", customer, unit, li, 8, complete: true);
        await app.At(Day(11, 9));
        var eleventh = await Orders("repair", customer, unit, li, 7, complete: true);
        (await app.Api("complaints").Post("/api/complaints", new { type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", description = "师傅态度生硬", workOrderId = eleventh[3] }))
            .Expect(HttpStatusCode.Created);
        // RWD-02 on a crafted month: 1 + 8 + 7 repair orders so far; 134 more make exactly 150 accepted (nothing), one more 151 (200).
        await app.At(Day(12, 9));
        await Orders("repair", customer, unit, li, 134, complete: false);
        Assert.DoesNotContain(Lines(await Statement(month, li.UserId)), l => l.RuleId == "RWD-02");
        await Orders("repair", customer, unit, li, 1, complete: false);

        var open = await Statement(month, li.UserId);
        Assert.False(open["closed"]!.GetValue<bool>());
        Assert.Equal(Expected(("deduction", "PEN-79", -100m), ("subsidy", "RWD-05", 100m), ("subsidy", "RWD-07", 600m), ("bonus", "RWD-01", 40m), ("bonus", "RWD-02", 200m)), Lines(open));

        // Finance closes the month after its end; twice is a 409.
        await app.At(Day(1, 9).AddMonths(1).AddDays(2));
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.OK);
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.Conflict);

        var zs = await Statement(month, zhang.UserId);
        Assert.True(zs["closed"]!.GetValue<bool>());
        Assert.Equal(Expected(("deduction", "PEN-04", -30m), ("deduction", "PEN-60", -200m), ("deduction", "PEN-66", -60m), ("reversal", "PEN-66", 40m),
            ("deduction", "PEN-46", -10m), ("deduction", "PEN-69", -100m)), Lines(zs));
        Assert.Equal((-400m, 40m, -360m), (zs["totals"]!["deduction"]!.GetValue<decimal>(), zs["totals"]!["reversal"]!.GetValue<decimal>(), zs["total"]!.GetValue<decimal>()));
        var ls = await Statement(month, li.UserId);
        Assert.Equal(Lines(open), Lines(ls));
        Assert.All(ls["lines"]!.AsArray(), l => Assert.True(l!["posted"]!.GetValue<bool>()));
        Assert.Equal((240m, 700m, -100m, 840m), (ls["totals"]!["bonus"]!.GetValue<decimal>(), ls["totals"]!["subsidy"]!.GetValue<decimal>(),
            ls["totals"]!["deduction"]!.GetValue<decimal>(), ls["total"]!.GetValue<decimal>()));
        Assert.Equal(Expected(("deduction", "PEN-46", -10m), ("reversal", "PEN-46", 10m)), Lines(await Statement(month, wang.UserId)));
        var before = await Statement(month, zhao.UserId);
        Assert.Equal(Expected(("deduction", "PEN-46", -10m)), Lines(before));

        // A late finding: the card the supervisor found in the closed month is confirmed now; it lands in the next month, saying so.
        (await _given.Manager.Post($"/api/penalty-cases/{card["id"]}/confirm", new { note = "经核实" })).Expect(HttpStatusCode.OK);
        Assert.Equal(Lines(before), Lines(await Statement(month, zhao.UserId))); // a closed month never changes
        var lateLine = (await Statement(next, zhao.UserId))["lines"]!.AsArray().Single(l => l!["ruleId"]?.GetValue<string>() == "PEN-62")!;
        Assert.Equal(("deduction", -30m), (lateLine["kind"]!.GetValue<string>(), lateLine["amount"]!.GetValue<decimal>()));
        Assert.Contains($"{month} 已结账", lateLine["description"]!.GetValue<string>());
        // A finding recorded now about a day of the closed month: deducted now, its line saying the offence's month was closed.
        var found = await Violation(new { ruleId = "PEN-38", personUserId = zhao.UserId, evidence = new { text = "补记:上月20日上班未佩戴工卡", occurredOn = Day(20, 0).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } });
        Assert.Equal(("PEN-38", 30m, "confirmed"), Fine(found));
        var foundLine = (await Statement(next, zhao.UserId))["lines"]!.AsArray().Single(l => l!["ruleId"]?.GetValue<string>() == "PEN-38")!;
        Assert.Equal(-30m, foundLine["amount"]!.GetValue<decimal>());
        Assert.Contains($"{month} 已结账", foundLine["description"]!.GetValue<string>());
        Assert.Equal(Lines(before), Lines(await Statement(month, zhao.UserId)));

        // SC-33 edge: a complaint about the 10th received after the close takes that day's 40 back in the next payroll, once.
        var closedTotal = ls["total"]!.GetValue<decimal>();
        foreach (var order in tenth.Take(2))
            (await app.Api("complaints").Post("/api/complaints", new { type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", description = "上次维修态度差", workOrderId = order }))
                .Expect(HttpStatusCode.Created);
        Assert.Equal(closedTotal, (await Statement(month, li.UserId))["total"]!.GetValue<decimal>());
        var takenBack = (await Statement(next, li.UserId))["lines"]!.AsArray().Where(l => l!["ruleId"]?.GetValue<string>() == "RWD-01" && l["posted"]!.GetValue<bool>()).ToList();
        var line = Assert.Single(takenBack)!;
        Assert.Equal(("reversal", -40m), (line["kind"]!.GetValue<string>(), line["amount"]!.GetValue<decimal>()));
        Assert.Contains($"{month} 已结账", line["description"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task Binchun_has_its_own_fines_only_no_bolt_or_hole_fine_no_volume_bonus_or_repair_subsidy_and_an_upheld_expulsion_review_posts_its_200()
    {
        await Policy("binchun-water-purifier-2015");
        var ahead = app.LocalNow.AddDays(40);
        DateTimeOffset Day(int d, int h) => new(ahead.Year, ahead.Month, d, h, 0, 0, TimeSpan.FromHours(8));
        var month = Day(1, 0).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await app.At(Day(3, 9));
        var branchId = await Branch();
        var zhang = await Staff("张净水安装", "ac.install", "purifier.install");
        var wang = await Staff("王净水安装", "ac.install", "purifier.install");
        var zhao = await Staff("赵净水安装", "ac.install", "purifier.install");
        var li = await Staff("李净水维修", "ac.repair", "purifier.repair");

        var uniform = await Violation(new { ruleId = "PEN-04", personUserId = zhang.UserId, evidence = new { text = "未穿滨纯工作服" } });
        Assert.Equal(("PEN-04", 30m, "confirmed"), Fine(uniform));
        // Binchun's installer regulation has no bolt (PEN-60) or wall-hole (PEN-66) fine, and Gree's are not inherited (A12).
        foreach (var gree in new[] { "PEN-60", "PEN-66", "PEN-76" })
        {
            var refused = (await app.Api("supervisor").Post("/api/violations", new { ruleId = gree, personUserId = zhang.UserId, count = 2 })).Expect(HttpStatusCode.BadRequest);
            Assert.Contains("ruleId", refused.ErrorFields);
        }
        var sticker = await Violation(new { ruleId = "PEN-32", personUserId = zhang.UserId, count = 2, evidence = new { text = "回访发现2台未贴服务贴" } });
        Assert.Equal(("PEN-75", 100m, "confirmed"), Fine(sticker)); // the installer's rule: 2 × 50
        var split = await Violations(new { ruleId = "PEN-46", presentUserIds = new[] { zhang.UserId, wang.UserId, zhao.UserId }, evidence = new { text = "候工区乱扔杂物" } });
        Assert.All(split, c => Assert.Equal(("PEN-46", 10m, "confirmed"), Fine(c!)));
        var disobey = await Violation(new { ruleId = "PEN-01", personUserId = li.UserId });
        Assert.Equal(("PEN-01", 100m, "confirmed"), Fine(disobey)); // no repair-technician variant in Binchun
        // CND-08: rudeness to a colleague, 200 and expulsion: a review; upholding it settles the 200 in the same save.
        var rude = await Violation(new { ruleId = "PEN-45", personUserId = wang.UserId, evidence = new { text = "辱骂同事" } });
        Assert.Equal(("PEN-45", 200m, "proposed"), Fine(rude));
        var review = (await _given.Manager.Get("/api/dismissal-reviews?state=open")).Expect(HttpStatusCode.OK).Body.AsArray()
            .Single(r => r!["penaltyCaseId"]?.GetValue<long>() == rude["id"]!.GetValue<long>())!;
        (await _given.Manager.Post($"/api/dismissal-reviews/{review["id"]}/decide", new { uphold = true, note = "影响恶劣,予以开除" })).Expect(HttpStatusCode.OK);

        await Appeal(zhang.User, uniform, "工作服被客户弄脏后换下");
        await Decide(uniform, new { outcome = "dismissed", reason = "情况属实" });

        // The leak pair, Binchun's numbers: the installer came and failed to fix a water leak → 30, credited to the repair technician.
        var customer = await _given.Customer();
        var purifier = await _given.Product(customer, line: "purifier");
        await Order("install", customer, purifier, zhang, complete: true);
        await app.At(Day(6, 9));
        var onUnit = await Order("repair", customer, purifier, li, complete: false, onSite: true);
        var leak = (await _given.Dispatcher.Post($"/api/work-orders/{onUnit}/leak-findings", new { leak = "water", outcome = "installerFailedFix" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("PEN-70", 30m, 30m, "RWD-06"), (leak["case"]!["ruleId"]!.GetValue<string>(), leak["case"]!["amount"]!.GetValue<decimal>(), leak["subsidy"]!.GetValue<decimal>(),
            leak["subsidyRuleId"]!.GetValue<string>())); // RWD-10: the repair technician's side is the leak subsidy, not a fine's id

        // 8 orders in a day, all done, none complained of: Binchun names no daily bonus, so none is paid (nor RWD-07).
        var unit = await _given.Product(customer, line: "purifier");
        await app.At(Day(10, 9));
        await Orders("repair", customer, unit, li, 8, complete: true);

        await app.At(Day(1, 9).AddMonths(1).AddDays(2));
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.OK);
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.Conflict);

        var zs = await Statement(month, zhang.UserId);
        Assert.Equal(Expected(("deduction", "PEN-04", -30m), ("reversal", "PEN-04", 30m), ("deduction", "PEN-75", -100m), ("deduction", "PEN-46", -10m),
            ("deduction", "PEN-70", -30m)), Lines(zs));
        Assert.Equal(-140m, zs["total"]!.GetValue<decimal>());
        var ls = await Statement(month, li.UserId);
        Assert.Equal(Expected(("deduction", "PEN-01", -100m), ("subsidy", "RWD-06", 30m)), Lines(ls));
        Assert.Equal((0m, 30m, -70m), (ls["totals"]!["bonus"]!.GetValue<decimal>(), ls["totals"]!["subsidy"]!.GetValue<decimal>(), ls["total"]!.GetValue<decimal>()));
        Assert.Equal(Expected(("deduction", "PEN-46", -10m), ("deduction", "PEN-45", -200m)), Lines(await Statement(month, wang.UserId)));
        await Policy("generic");
    }
}
