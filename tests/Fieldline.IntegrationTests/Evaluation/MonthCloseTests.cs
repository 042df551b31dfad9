using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class MonthCloseTestsOnSqlite(SqliteFixture app) : MonthCloseTests(app);
[Collection(PostgresCollection.Name)] public sealed class MonthCloseTestsOnPostgres(PostgresFixture app) : MonthCloseTests(app);

/// <summary>
/// The month close's statement beyond the fines and volume bonuses: the assessment score and pass/fail on the statement
/// and its PDF (an incomplete assessment named as such), the monthly repair subsidy of the preset (RWD-07) and its
/// forfeiture (PEN-85), and the piece rates (RWD-09) that no preset states and a company sets.
/// </summary>
public abstract class MonthCloseTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset, object? parameters = null) =>
        (await _given.Manager.Put("/api/policy", parameters is null ? new { basedOn = preset } : new { basedOn = preset, parameters })).Expect(HttpStatusCode.OK);

    private async Task<JsonNode> Statement(string month, int person) =>
        Assert.Single((await app.Api("finance").Get($"/api/pay-statements?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;

    private static List<(string Kind, string? RuleId, decimal Amount)> Lines(JsonNode s, string kind) => s["lines"]!.AsArray()
        .Select(l => (l!["kind"]!.GetValue<string>(), l["ruleId"]?.GetValue<string>(), l["amount"]!.GetValue<decimal>()))
        .Where(l => l.Item1 == kind).OrderBy(l => l.Item2).ThenBy(l => l.Item3).ToList();

    /// <summary>The first day of a month well ahead of what other tests use, at 09:00 Shanghai, so the month's pay is this test's own.</summary>
    private async Task<string> MonthAhead(int days)
    {
        var ahead = app.LocalNow.AddDays(days);
        await app.At(new DateTimeOffset(ahead.Year, ahead.Month, 3, 9, 0, 0, TimeSpan.FromHours(8)));
        return ahead.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }

    private async Task<(string User, int TechnicianId, int UserId)> Repairer() => await _given.NewTechnician(["ac.repair", "purifier.repair"]);

    /// <summary>Repair orders dispatched to the technician and completed on site now.</summary>
    private async Task<List<long>> CompletedRepairs((string User, int TechnicianId, int UserId) tech, int count)
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var id = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Id;
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
            var t = app.Api(tech.User);
            (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
            var now = app.LocalNow;
            (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = now, end = now.AddHours(2) } })).Expect(HttpStatusCode.OK);
            (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromMinutes(30));
            (await t.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
            ids.Add(id);
        }
        return ids;
    }

    [Fact]
    public async Task The_statement_and_its_PDF_show_the_assessment_total_and_pass_or_fail_and_an_unscored_month_is_named_incomplete()
    {
        await Policy("generic");
        var month = await MonthAhead(100);
        var tech = await Repairer();

        // Nothing scored by the supervisor yet: the statement names the assessment incomplete, with no pass or fail.
        var s = await Statement(month, tech.UserId);
        var assessment = s["assessment"]!;
        Assert.Equal(("incomplete", false), (assessment["status"]!.GetValue<string>(), assessment["complete"]!.GetValue<bool>()));
        Assert.Null(assessment["passed"]);
        Assert.Equal(60m, assessment["passScorePercent"]!.GetValue<decimal>());
        Assert.StartsWith("考核未评完", assessment["text"]!.GetValue<string>());

        // The supervisor scores the manual items: the statement carries the same total and verdict as the assessment.
        var scored = (await app.Api("supervisor").Put($"/api/assessments/{tech.UserId}/{month}", new { scores = new { appearance = 95, conduct = 90 }, version = 0 }))
            .Expect(HttpStatusCode.OK).Body;
        s = await Statement(month, tech.UserId);
        assessment = s["assessment"]!;
        var total = scored["total"]!.GetValue<decimal>();
        var passed = scored["passed"]!.GetValue<bool>();
        Assert.Equal((total, true, passed, passed ? "passed" : "failed"),
            (assessment["total"]!.GetValue<decimal>(), assessment["complete"]!.GetValue<bool>(), assessment["passed"]!.GetValue<bool>(), assessment["status"]!.GetValue<string>()));
        var text = assessment["text"]!.GetValue<string>();
        Assert.Contains(total.ToString("0.#", CultureInfo.InvariantCulture), text);
        Assert.Contains(passed ? "合格" : "不合格", text);
        Assert.Contains("及格线 60 分", text);

        // The PDF statement says the same in Chinese.
        var pdf = await app.Api("finance").Get($"/api/pay-statements/{tech.UserId}/{month}.pdf");
        pdf.Expect(HttpStatusCode.OK);
        var content = await PdfText.Of(await pdf.Raw.Content.ReadAsByteArrayAsync());
        Assert.Contains("考核", content);
        Assert.Contains(s["assessment"]!["total"]!.GetValue<decimal>().ToString("0.#", CultureInfo.InvariantCulture), content);
        Assert.Contains("工资条", content);
    }

    [Fact]
    public async Task RWD07_Gree_pays_every_repair_technician_a_600_monthly_repair_subsidy_a_private_job_forfeits_it_and_a_company_without_it_pays_none()
    {
        await Policy("gree-dealer-changsha-2012");
        var month = await MonthAhead(130);
        var repairer = await Repairer();
        var installer = await _given.NewTechnician(["ac.install"]);
        var forfeits = await Repairer();

        Assert.Equal([("subsidy", "RWD-07", 600m)], Lines(await Statement(month, repairer.UserId), "subsidy"));
        Assert.Empty(Lines(await Statement(month, installer.UserId), "subsidy")); // the subsidy is the repair technicians'

        // PEN-85 (verified by the manager): the subsidy is deducted again, and the month's eligibility goes (EVL-15).
        var fine = Assert.Single((await _given.Manager.Post("/api/violations", new { ruleId = "PEN-85", personUserId = forfeits.UserId, evidence = new { text = "公司维修单未完成时私接维修" } }))
            .Expect(HttpStatusCode.OK).Body["cases"]!.AsArray())!;
        Assert.Equal(("PEN-85", 600m, "confirmed"), (fine["ruleId"]!.GetValue<string>(), fine["amount"]!.GetValue<decimal>(), fine["state"]!.GetValue<string>()));
        var s = await Statement(month, forfeits.UserId);
        Assert.Equal([("subsidy", "RWD-07", 600m)], Lines(s, "subsidy"));
        Assert.Equal([("deduction", "PEN-85", -600m)], Lines(s, "deduction"));
        Assert.Equal(0m, s["total"]!.GetValue<decimal>());
        Assert.True(s["eligibilityRevoked"]!.GetValue<bool>());

        // A company that pays no repair subsidy (0) pays none.
        await Policy("gree-dealer-changsha-2012", new { rewards = new { monthlyRepairSubsidyCNY = 0 } });
        Assert.Empty(Lines(await Statement(month, repairer.UserId), "subsidy"));
        await Policy("generic");
    }

    [Fact]
    public async Task RWD09_no_preset_states_a_piece_rate_so_none_is_paid_until_the_company_sets_its_repair_piece_rate_and_installation_commission()
    {
        await Policy("gree-dealer-changsha-2012");
        var policy = (await _given.Manager.Get("/api/policy")).Expect(HttpStatusCode.OK).Body.ToJsonString();
        Assert.Contains("pieceRatesCNY", policy);
        var month = await MonthAhead(160);
        var tech = await Repairer();
        await CompletedRepairs(tech, 3);
        Assert.Empty(Lines(await Statement(month, tech.UserId), "earning"));

        // The company sets 35 CNY per completed air-conditioner repair and a default of 60 per installation.
        await Policy("gree-dealer-changsha-2012", new { pay = new { pieceRatesCNY = new { repair = new { ac = 35m }, install = new { @default = 60m } } } });
        var s = await Statement(month, tech.UserId);
        Assert.Equal([("earning", "RWD-09", 105m)], Lines(s, "earning"));
        Assert.Equal(105m, s["totals"]!["earning"]!.GetValue<decimal>());
        Assert.Equal(3, s["lines"]!.AsArray().Single(l => l!["ruleId"]?.GetValue<string>() == "RWD-09")!["workOrderIds"]!.AsArray().Count);
        Assert.Equal(s["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), s["total"]!.GetValue<decimal>());

        // A rate that is not a positive amount pays nothing.
        await Policy("gree-dealer-changsha-2012", new { pay = new { pieceRatesCNY = new { repair = new { ac = 0m } } } });
        Assert.Empty(Lines(await Statement(month, tech.UserId), "earning"));
        await Policy("generic");
    }

    [Fact]
    public async Task RWD09_the_material_reward_pays_the_companys_percentage_of_the_materials_charged_on_the_months_completed_orders_with_the_orders_behind_it()
    {
        await Policy("gree-dealer-changsha-2012");
        var month = await MonthAhead(220);
        var tech = await Repairer();
        var orders = await CompletedRepairs(tech, 3); // each charges 4 m of PVC pipe, a material of the price list: 30.00
        // No document states the rate: no preset pays it until the company sets one.
        Assert.DoesNotContain(Lines(await Statement(month, tech.UserId), "earning"), l => l.RuleId == "RWD-09");

        await Policy("gree-dealer-changsha-2012", new { pay = new { materialReward = new { percentOfMaterialCharges = 10m } } });
        var s = await Statement(month, tech.UserId);
        Assert.Equal([("earning", "RWD-09", 9m)], Lines(s, "earning")); // 10 % of 3 × 30.00
        var line = s["lines"]!.AsArray().Single(l => l!["ruleId"]?.GetValue<string>() == "RWD-09")!;
        Assert.Equal(orders.Order(), line["workOrderIds"]!.AsArray().Select(x => x!.GetValue<long>()).Order());
        Assert.StartsWith("材料奖励金", line["description"]!.GetValue<string>());
        Assert.Contains("¥90.00", line["description"]!.GetValue<string>());
        Assert.Equal(9m, s["totals"]!["earning"]!.GetValue<decimal>());
        Assert.Equal(s["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), s["total"]!.GetValue<decimal>());
        await Policy("generic");
    }

    [Fact]
    public async Task Binchun_whose_rewards_list_is_empty_pays_no_generic_volume_bonus_or_repair_subsidy_for_a_day_Gree_pays_20_for()
    {
        await Policy("gree-dealer-changsha-2012");
        var month = await MonthAhead(250);
        var tech = await Repairer();
        await CompletedRepairs(tech, 7); // 7 repairs dispatched and completed in one day, none complained of
        var gree = await Statement(month, tech.UserId);
        Assert.Equal([("bonus", "RWD-01", 20m)], Lines(gree, "bonus")); // RWD-01: from the 7th order, 20 each
        Assert.Equal([("subsidy", "RWD-07", 600m)], Lines(gree, "subsidy"));

        // Binchun's documents name no bonus and no subsidy (regulations.md A12): the generic preset's are not applied.
        await Policy("binchun-water-purifier-2015");
        var binchun = await Statement(month, tech.UserId);
        Assert.Empty(Lines(binchun, "bonus"));
        Assert.Empty(Lines(binchun, "subsidy"));
        Assert.Equal(binchun["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), binchun["total"]!.GetValue<decimal>());
        await Policy("generic");
    }
}
