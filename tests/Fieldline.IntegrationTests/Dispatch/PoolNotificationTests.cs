using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Dispatch;

[Collection(SqliteCollection.Name)] public sealed class PoolNotificationTestsOnSqlite(SqliteFixture app) : PoolNotificationTests(app);
[Collection(PostgresCollection.Name)] public sealed class PoolNotificationTestsOnPostgres(PostgresFixture app) : PoolNotificationTests(app);

/// <summary>
/// 抢单池 push: an order released into the pool is one notification to the branch's technicians who could take it, saying
/// only what the pool shows before a take (code, district, job); any change of the pool reaches open pool screens live.
/// </summary>
public abstract partial class PoolNotificationTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<JsonNode?> PoolNotice(Api who, long order) =>
        (await who.Get("/api/notifications?kind=poolOrder&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .SingleOrDefault(n => n!["workOrderId"]?.GetValue<long>() == order);

    [Fact]
    public async Task Releasing_an_order_into_the_pool_notifies_the_branchs_technicians_who_may_take_it_with_the_district_and_the_job_but_never_the_customer()
    {
        var (eligible, _, eligibleUser) = await _given.NewTechnician();
        var (suspended, suspendedTech, suspendedUser) = await _given.NewTechnician();
        (await _given.Manager.Post("/api/suspensions", new { technicianId = suspendedTech, from = D(Today), to = D(Today.AddDays(1)), reason = "不服从调度" })).Expect(HttpStatusCode.Created);
        var outsider = await _given.OtherBranchTechnician();
        var order = await _given.NewRepairOrder();
        var id = order["id"]!.GetValue<long>();
        var code = order["code"]!.GetValue<string>();

        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        await app.Tick();

        var notice = await PoolNotice(app.Api(eligible), id);
        Assert.NotNull(notice);
        Assert.Equal("抢单池有新工单 " + code, notice!["title"]!.GetValue<string>());
        Assert.Equal("长沙市岳麓区 · 维修", notice["body"]!.GetValue<string>());
        Assert.Null(notice["readAt"]);
        // The branch's zone, as the console shows it.
        Assert.EndsWith("+08:00", notice["createdAt"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var secret in new[] { order["contactPhone"]!.GetValue<string>(), "麓山南路", "测试客户", "不制冷" })
            Assert.DoesNotContain(secret, notice.ToJsonString(), StringComparison.Ordinal);

        // A suspended technician could not take it, and another branch's pool is not theirs: neither is called.
        Assert.Null(await PoolNotice(app.Api(suspended), id));
        Assert.Null(await PoolNotice(app.Api(outsider), id));

        // One message with many recipients, not one per technician.
        var messages = await app.Db(db => db.Outbox.AsNoTracking().Where(m => m.Kind == "poolOrder" && m.WorkOrderId == id).ToListAsync());
        var message = Assert.Single(messages);
        Assert.Contains(eligibleUser, message.RecipientUserIds);
        Assert.DoesNotContain(suspendedUser, message.RecipientUserIds);
        Assert.DoesNotContain("麓山南路", message.Title + message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pool_notification_reads_in_Chinese_without_a_word_of_English_and_in_English_for_who_asks()
    {
        var (user, _, _) = await _given.NewTechnician();
        var order = await _given.NewRepairOrder();
        var id = order["id"]!.GetValue<long>();
        var code = order["code"]!.GetValue<string>();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        await app.Tick();

        var chinese = (await PoolNotice(app.Api(user), id))!;
        var shown = (chinese["title"]!.GetValue<string>() + " " + chinese["body"]!.GetValue<string>()).Replace(code, "", StringComparison.Ordinal);
        Assert.DoesNotMatch(Latin(), shown);

        var english = (await PoolNotice(app.Api(user).InLanguage("en"), id))!;
        Assert.Equal($"New order in the pool: {code}", english["title"]!.GetValue<string>());
        Assert.Equal("长沙市岳麓区 · Repair", english["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_open_pool_screen_hears_when_an_order_is_released_withdrawn_or_taken()
    {
        var (user, _, _) = await _given.NewTechnician();
        var (watcher, _, _) = await _given.NewTechnician(["purifier.install"]); // cannot take an AC repair, still sees the pool change
        using var client = app.Factory.CreateClient();
        await using var stream = await LiveStream.Open(client, await app.Token(client, watcher));
        bool Pool(string kind, JsonNode data, long id, string action) =>
            kind == "poolChanged" && data["workOrderId"]?.GetValue<long>() == id && data["body"]!.GetValue<string>() == action;

        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        Assert.NotNull(stream.Next((k, d) => Pool(k, d, id, "pooled"), TimeSpan.FromSeconds(10)));
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/withdraw-from-pool")).Expect(HttpStatusCode.OK);
        Assert.NotNull(stream.Next((k, d) => Pool(k, d, id, "unpooled"), TimeSpan.FromSeconds(10)));
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        (await app.Api(user).Post($"/api/work-orders/{id}/take")).Expect(HttpStatusCode.OK);
        Assert.NotNull(stream.Next((k, d) => Pool(k, d, id, "taken"), TimeSpan.FromSeconds(10)));
        // Nothing was offered to the watcher, who could not take it.
        await app.Tick();
        Assert.Null(await PoolNotice(app.Api(watcher), id));
    }

    [Fact]
    public async Task A_new_order_the_policy_puts_into_the_pool_at_once_is_announced_as_well()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic", parameters = new { dispatch = new { newOrdersToPool = true } } })).Expect(HttpStatusCode.OK);
        try
        {
            var (user, _, _) = await _given.NewTechnician();
            var code = (await _given.NewRepairOrder())["code"]!.GetValue<string>();
            await app.Tick();
            // Queued before the order had an id: named by its code (the phone links a pool message to the pool, not the order).
            var notice = (await app.Api(user).Get("/api/notifications?kind=poolOrder&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
                .Single(n => n!["title"]!.GetValue<string>() == "抢单池有新工单 " + code)!;
            Assert.Equal("长沙市岳麓区 · 维修", notice["body"]!.GetValue<string>());
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }

    [GeneratedRegex("[A-Za-z]")]
    private static partial Regex Latin();
}
