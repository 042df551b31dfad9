using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class MealReportTestsOnSqlite(SqliteFixture app) : MealReportTests(app);
[Collection(PostgresCollection.Name)] public sealed class MealReportTestsOnPostgres(PostgresFixture app) : MealReportTests(app);

/// <summary>
/// ONS-12's variant (第19篇 §5): where the policy asks for it, a meal the customer insisted on is reported to the company
/// afterwards — once, by the order's technician, the supervisors told and the return-visit agent shown it; under a
/// policy without the variant no meal is accepted at all, so there is nothing to report.
/// </summary>
public abstract class MealReportTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(bool variant) =>
        (await _given.Manager.Put("/api/policy", new { basedOn = variant ? "construction-install-service" : "generic" })).Expect(HttpStatusCode.OK); // 第19篇 has the variant

    [Fact]
    public async Task ONS12_a_meal_the_customer_insisted_on_is_reported_once_the_supervisor_is_told_and_the_return_visit_shows_it()
    {
        await Policy(variant: true);
        long id;
        Api tech;
        try { (id, tech) = await _given.OnSite(); }
        finally { await Policy(variant: false); }

        var blank = (await tech.Post($"/api/work-orders/{id}/meal-report", new { note = " " })).Expect(HttpStatusCode.BadRequest);
        Assert.NotNull(blank.Body["errors"]!["note"]);
        (await app.Api("tech01").Post($"/api/work-orders/{id}/meal-report", new { note = "不是我的单" })).Expect(HttpStatusCode.NotFound);
        var reported = (await tech.Post($"/api/work-orders/{id}/meal-report", new { note = "客户坚持留饭,吃了一碗面" })).Expect(HttpStatusCode.OK).Body;
        var last = reported["timeline"]!.AsArray().Last()!;
        Assert.Equal(("mealReported", "客户坚持留饭,吃了一碗面"), (last["action"]!.GetValue<string>(), last["data"]!["note"]!.GetValue<string>()));
        Assert.Equal("inProgress", reported["status"]!.GetValue<string>());
        (await tech.Post($"/api/work-orders/{id}/meal-report", new { note = "再报一次" })).Expect(HttpStatusCode.Conflict);

        await app.Tick();
        var told = (await app.Api("supervisor").Get("/api/notifications?kind=mealReported&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(told, n => n!["kind"]!.GetValue<string>() == "mealReported" && n["body"]!.GetValue<string>().Contains("吃了一碗面", StringComparison.Ordinal));

        // The return-visit agent sees the report beside the question on water and cigarettes.
        (await tech.Post($"/api/work-orders/{id}/complete", new
        {
            resolution = "安装完成,试机正常", faultCategory = "component", barcode = $"GR{Guid.NewGuid():N}"[..14], testRunMinutes = 30,
            checklist = new { powerOff = true, testRun = true, serviceSticker = true },
            signature = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng), photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) },
        })).Expect(HttpStatusCode.OK);
        var visitor = await ConsoleSession.SignIn(app, "visitor");
        var page = await visitor.Get($"/return-visits/{id}");
        Assert.Contains("id=\"meal-report\"", page, StringComparison.Ordinal);
        Assert.Contains("吃了一碗面", page, StringComparison.Ordinal);
        var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, "English on the Chinese return-visit page:\n" + string.Join("\n", english.Take(40)));
    }

    [Fact]
    public async Task ONS12_under_a_policy_without_the_variant_there_is_no_meal_to_report()
    {
        var (id, tech) = await _given.OnSite();
        var refused = (await tech.Post($"/api/work-orders/{id}/meal-report", new { note = "客户留饭" })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Contains("不得在用户家吃饭", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(((await tech.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["timeline"]!.AsArray()), e => e!["action"]!.GetValue<string>() == "mealReported");
    }
}
