using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class OrderStepsPageTestsOnSqlite(SqliteFixture app) : OrderStepsPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class OrderStepsPageTestsOnPostgres(PostgresFixture app) : OrderStepsPageTests(app);

/// <summary>
/// The steps that were API-only get their screen on the order's page: the manager closes a visited order, the dispatcher
/// confirms a customer the technician could not reach (DSP-08), the office records a progress call (INT-17).
/// </summary>
public abstract class OrderStepsPageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<int> Version(long id) => (await _given.Manager.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>();

    private async Task<IReadOnlyList<string>> Actions(long id) =>
        (await _given.Manager.Get($"/api/work-orders/{id}")).Body["timeline"]!.AsArray().Select(t => t!["action"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task The_manager_closes_a_visited_order_from_its_page_and_the_dispatcher_is_not_offered_the_button()
    {
        var id = await _given.OrderIn("visited");
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.DoesNotContain("close-form", await dispatcher.Get($"/orders/{id}"));
        var manager = await ConsoleSession.SignIn(app, "manager");
        Assert.Contains("close-form", await manager.Get($"/orders/{id}"));
        var page = await manager.Post($"/orders/{id}?handler=Close", [new("version", (await Version(id)).ToString())]);
        Assert.Contains("工单已关闭。", page);
        Assert.Equal("closed", (await _given.Manager.Get($"/api/work-orders/{id}")).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dispatcher_confirms_from_the_order_page_a_customer_the_technician_could_not_reach()
    {
        var id = await _given.OrderIn("accepted");
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.DoesNotContain("unreachable-card", await dispatcher.Get($"/orders/{id}"));
        (await app.Api("tech01").Post($"/api/work-orders/{id}/contact", new { outcome = "unreachable", notes = "三次未接" })).Expect(HttpStatusCode.OK);
        Assert.Contains("unreachable-card", await dispatcher.Get($"/orders/{id}"));
        var page = await dispatcher.Post($"/orders/{id}?handler=Unreachable",
            [new("reached", "false"), new("notes", "派工员再打两次仍无人接"), new("version", (await Version(id)).ToString())]);
        Assert.Contains("师傅按原预约时间上门", page);
        Assert.Contains("unreachableConfirmed", await Actions(id));
    }

    [Fact]
    public async Task The_clerk_records_a_progress_call_from_the_order_page_with_the_expected_finish_in_branch_time()
    {
        var id = await _given.OrderIn("scheduled");
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        Assert.Contains("progress-card", await clerk.Get($"/orders/{id}"));
        var finish = app.LocalNow.Date.AddDays(1).AddHours(15);
        var page = await clerk.Post($"/orders/{id}?handler=Progress",
            [new("expectedFinish", finish.ToString("yyyy-MM-ddTHH:mm")), new("anomaly", "true"), new("notes", "缺铜管"), new("version", (await Version(id)).ToString())]);
        Assert.Contains("进度回访已记录。", page);
        var call = (await _given.Manager.Get($"/api/work-orders/{id}")).Body["timeline"]!.AsArray().Last(t => t!["action"]!.GetValue<string>() == "progressCalled")!;
        Assert.Equal(new DateTimeOffset(finish, TimeSpan.FromHours(8)), call["data"]!["expectedFinish"]!.GetValue<DateTimeOffset>());
        Assert.True(call["data"]!["anomaly"]!.GetValue<bool>());
    }
}
