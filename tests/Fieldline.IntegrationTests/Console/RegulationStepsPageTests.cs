using System.Globalization;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class RegulationStepsPageTestsOnSqlite(SqliteFixture app) : RegulationStepsPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class RegulationStepsPageTestsOnPostgres(PostgresFixture app) : RegulationStepsPageTests(app);

/// <summary>
/// Regulation steps that had an API but no screen: the slip handed in (FEE-03 / PEN-02) and its queue, the dispatcher's
/// rescheduling with the customer's consent (CMP-03), and the year-end trip statistics (RPT-17).
/// </summary>
public abstract class RegulationStepsPageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<System.Text.Json.Nodes.JsonNode> Order(long id) => (await _given.Manager.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;

    private async Task<string> Version(long id) => (await Order(id))["version"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<string>> Actions(long id) =>
        (await Order(id))["timeline"]!.AsArray().Select(t => t!["action"]!.GetValue<string>()).ToList();

    private static void NoEnglish(string page, string where)
    {
        var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, $"English on the Chinese {where}:\n" + string.Join("\n", english.Take(40)));
    }

    [Fact]
    public async Task The_clerk_finds_an_outstanding_slip_in_the_queue_records_it_handed_in_and_the_order_leaves_the_queue()
    {
        var id = await _given.OrderIn("completed");
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        var list = await clerk.Get("/orders?slips=true");
        Assert.Contains("id=\"slips\"", list);
        Assert.Contains($"data-order=\"{id}\"", list);
        NoEnglish(list, "order list with the slip queue");

        var page = await clerk.Get($"/orders/{id}");
        Assert.Contains("id=\"slip-card\"", page);
        Assert.Contains("工单回执已交回", page);
        NoEnglish(page, "order page with the slip action");

        var after = await clerk.Post($"/orders/{id}?handler=Slip", [new("notes", "维修单已交"), new("version", await Version(id))]);
        Assert.Contains("工单回执已登记交回。", after);
        Assert.DoesNotContain("id=\"slip-card\"", after);
        Assert.Contains("slipHandedIn", await Actions(id));
        Assert.DoesNotContain($"data-order=\"{id}\"", await clerk.Get("/orders?slips=true"));
    }

    [Fact]
    public async Task The_dispatcher_is_neither_offered_the_slip_action_nor_its_queue_and_a_posted_one_changes_nothing()
    {
        var id = await _given.OrderIn("completed");
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.DoesNotContain("id=\"slip-card\"", await dispatcher.Get($"/orders/{id}"));
        Assert.DoesNotContain("id=\"slips\"", await dispatcher.Get("/orders"));
        await dispatcher.Post($"/orders/{id}?handler=Slip", [new("version", await Version(id))]);
        Assert.DoesNotContain("slipHandedIn", await Actions(id));

        var tech = await ConsoleSession.SignIn(app, "tech01");
        Assert.DoesNotContain("id=\"slip-card\"", await tech.Get($"/orders/{id}"));
        await tech.Post($"/orders/{id}?handler=Slip", [new("version", await Version(id))]);
        Assert.DoesNotContain("slipHandedIn", await Actions(id));
    }

    [Fact]
    public async Task A_slip_note_too_long_or_a_stale_version_records_nothing_and_says_why()
    {
        var id = await _given.OrderIn("completed");
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        await clerk.Get($"/orders/{id}");
        var version = await Version(id);
        var tooLong = await clerk.Post($"/orders/{id}?handler=Slip", [new("notes", new string('单', 501)), new("version", version)]);
        Assert.Contains("field-error", tooLong);
        var stale = await clerk.Post($"/orders/{id}?handler=Slip", [new("version", "999")]);
        Assert.Contains("id=\"slip-card\"", stale);
        Assert.DoesNotContain("slipHandedIn", await Actions(id));
        Assert.Equal(version, await Version(id));
    }

    [Fact]
    public async Task The_dispatcher_moves_an_appointment_with_the_customers_consent_in_branch_time()
    {
        var id = await _given.OrderIn("scheduled");
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        var page = await dispatcher.Get($"/orders/{id}");
        Assert.Contains("id=\"reschedule-card\"", page);
        NoEnglish(page, "order page with the reschedule form");
        var start = app.LocalNow.Date.AddDays(2).AddHours(9);
        var after = await dispatcher.Post($"/orders/{id}?handler=Reschedule",
        [
            new("start", start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)), new("end", start.AddHours(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)),
            new("reason", "客户出差，改到后天上午"), new("customerConsent", "true"), new("version", await Version(id)),
        ]);
        Assert.Contains("已经客户同意改约。", after);
        var appointment = (await Order(id))["appointment"]!;
        Assert.Equal(new DateTimeOffset(start, TimeSpan.FromHours(8)), appointment["start"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(start.AddHours(2), TimeSpan.FromHours(8)), appointment["end"]!.GetValue<DateTimeOffset>());
        Assert.Contains("rescheduled", await Actions(id));
    }

    [Fact]
    public async Task Without_the_customers_consent_or_with_the_window_backwards_the_appointment_stays_the_clerk_is_not_offered_it_and_the_manager_moves_it()
    {
        var id = await _given.OrderIn("scheduled");
        var before = (await Order(id))["appointment"]!.ToJsonString();
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        await dispatcher.Get($"/orders/{id}");
        var start = app.LocalNow.Date.AddDays(2).AddHours(9);
        string At(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var noConsent = await dispatcher.Post($"/orders/{id}?handler=Reschedule",
            [new("start", At(start)), new("end", At(start.AddHours(2))), new("reason", "客户出差"), new("version", await Version(id))]);
        Assert.Contains("field-error", noConsent);
        var backwards = await dispatcher.Post($"/orders/{id}?handler=Reschedule",
            [new("start", At(start)), new("end", At(start.AddHours(-2))), new("reason", "客户出差"), new("customerConsent", "true"), new("version", await Version(id))]);
        Assert.Contains("field-error", backwards);
        NoEnglish(backwards, "order page with reschedule errors");

        var clerk = await ConsoleSession.SignIn(app, "clerk");
        Assert.DoesNotContain("id=\"reschedule-card\"", await clerk.Get($"/orders/{id}"));
        await clerk.Post($"/orders/{id}?handler=Reschedule",
            [new("start", At(start)), new("end", At(start.AddHours(2))), new("reason", "客户出差"), new("customerConsent", "true"), new("version", await Version(id))]);
        Assert.Equal(before, (await Order(id))["appointment"]!.ToJsonString());
        Assert.DoesNotContain("rescheduled", await Actions(id));

        // The after-sales manager who took the customer's call moves it, with the consent, like the dispatcher.
        var manager = await ConsoleSession.SignIn(app, "manager");
        Assert.Contains("id=\"reschedule-card\"", await manager.Get($"/orders/{id}"));
        var moved = await manager.Post($"/orders/{id}?handler=Reschedule",
            [new("start", At(start)), new("end", At(start.AddHours(2))), new("reason", "客户来电改约"), new("customerConsent", "true"), new("version", await Version(id))]);
        Assert.DoesNotContain("field-error", moved);
        Assert.NotEqual(before, (await Order(id))["appointment"]!.ToJsonString());
        Assert.Contains("rescheduled", await Actions(id));
    }

    [Fact]
    public async Task The_manager_reads_the_year_end_trip_statistics_from_the_reports_and_downloads_a_balanced_year()
    {
        var manager = await ConsoleSession.SignIn(app, "manager");
        Assert.Contains("href=\"/reports/year-end\"", await manager.Get("/reports"));
        var page = await manager.Get("/reports/year-end?year=2001");
        Assert.Contains("id=\"year-end\"", page);
        Assert.Contains("2001年终统计", page);
        Assert.Contains("id=\"year-end-export\"", page);
        NoEnglish(page, "year-end page");
        var (type, bytes) = await manager.Download("/reports/year-end?handler=Workbook&year=2001");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type);
        Assert.True(bytes.Length > 100);
        NoEnglish(await manager.Get($"/reports/year-end?year={app.LocalNow.Year}"), "year-end page of this year");
    }

    [Fact]
    public async Task The_year_end_page_refuses_a_dispatcher_and_a_technician_and_a_year_out_of_range_shows_last_year()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await (await ConsoleSession.SignIn(app, "dispatcher")).Status("/reports/year-end"));
        Assert.Equal(HttpStatusCode.Forbidden, await (await ConsoleSession.SignIn(app, "tech01")).Status("/reports/year-end"));
        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        var page = await supervisor.Get("/reports/year-end?year=1999");
        Assert.Contains("field-error", page);
        Assert.Contains($"{app.LocalNow.Year - 1}年终统计", page);
    }
}
