using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Dispatch;

[Collection(SqliteCollection.Name)] public sealed class OrderPoolTestsOnSqlite(SqliteFixture app) : OrderPoolTests(app);
[Collection(PostgresCollection.Name)] public sealed class OrderPoolTestsOnPostgres(PostgresFixture app) : OrderPoolTests(app);

/// <summary>
/// 抢单池 (issue 17: "dispatch, transfer, the order pool … all ask one eligibility check"): the dispatcher puts an undispatched
/// order into the branch's pool, an eligible technician of the branch takes it on the phone — a dispatch to them through the
/// dispatch's own path — and exactly one wins. Every test makes its own technicians and orders; the pool is shared with
/// other tests, so lists are searched for the test's own order, never counted.
/// </summary>
public abstract class OrderPoolTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static IEnumerable<string> Codes(JsonNode reasons) => reasons.AsArray().Select(r => r!["code"]!.GetValue<string>());
    private static IEnumerable<string> Actions(JsonNode order) => order["timeline"]!.AsArray().Select(e => e!["action"]!.GetValue<string>());

    private async Task<long> PooledOrder()
    {
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        return id;
    }

    private async Task<JsonNode?> InPool(string user, long order) =>
        (await app.Api(user).Get("/api/dispatch/pool?pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .SingleOrDefault(o => o!["id"]!.GetValue<long>() == order);

    private Task<Reply> Take(string user, long order, string? key = null) => app.Api(user).Post($"/api/work-orders/{order}/take", null, key);

    private async Task<JsonNode> Order(long id) => (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;

    private async Task<JsonNode?> QueueRow(long order) =>
        (await _given.Dispatcher.Get("/api/dispatch/board")).Expect(HttpStatusCode.OK).Body["unassigned"]!.AsArray()
            .SingleOrDefault(o => o!["id"]!.GetValue<long>() == order);

    [Fact]
    public async Task The_dispatcher_puts_an_order_into_the_pool_and_an_eligible_technician_takes_it_as_a_dispatch_accepted_at_once()
    {
        var (user, tech, _) = await _given.NewTechnician(["ac.repair"]);
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        Assert.False((await Order(id))["inPool"]!.GetValue<bool>());

        var released = (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK).Body;
        Assert.True(released["inPool"]!.GetValue<bool>());
        Assert.Equal("new", released["status"]!.GetValue<string>());
        Assert.Equal("pooled", Actions(released).Last());
        // The board marks it; the dispatcher may still assign it.
        Assert.True((await QueueRow(id))!["inPool"]!.GetValue<bool>());

        var offered = await InPool(user, id);
        Assert.NotNull(offered);
        Assert.True(offered!["eligible"]!.GetValue<bool>());
        Assert.Empty(offered["reasons"]!.AsArray());

        var taken = (await Take(user, id)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("accepted", tech), (taken["status"]!.GetValue<string>(), taken["technicianId"]!.GetValue<int>()));
        Assert.False(taken["inPool"]!.GetValue<bool>());
        Assert.Equal(["created", "pooled", "taken", "accepted"], Actions(taken));
        // The same clocks as a dispatch: the dispatch clock stopped in time, the technician's contact clock running.
        var clocks = taken["clocks"]!.AsArray();
        Assert.Equal("met", clocks.Single(c => c!["name"]!.GetValue<string>() == "dispatch")!["state"]!.GetValue<string>());
        Assert.Contains(clocks, c => c!["name"]!.GetValue<string>() == "contact" && c["stoppedAt"] is null);
        // Now theirs: the customer's phone and full address come with the order.
        Assert.Contains("麓山南路", taken["address"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(taken["contactPhone"]!.GetValue<string>()));
        (await app.Api(user).Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK);

        // Out of the pool and the queue; in the technician's column of the board.
        Assert.Null(await InPool(user, id));
        Assert.Null(await QueueRow(id));
        var board = (await _given.Dispatcher.Get("/api/dispatch/board")).Expect(HttpStatusCode.OK).Body;
        Assert.Contains(board["technicians"]!.AsArray().Single(t => t!["id"]!.GetValue<int>() == tech)!["orders"]!.AsArray(), o => o!["id"]!.GetValue<long>() == id);
        // The order's page names the step: 抢单 on its timeline.
        var page = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.Contains("· 抢单", await page.Get($"/orders/{id}"));
    }

    [Fact]
    public async Task The_pool_shows_the_district_the_job_and_the_window_but_never_the_customers_name_phone_or_address()
    {
        var (user, _, _) = await _given.NewTechnician();
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, "不制冷，请回电 13912345678 王先生"))).Expect(HttpStatusCode.Created).Body;
        var id = order["id"]!.GetValue<long>();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);

        var offered = (await InPool(user, id))!;
        Assert.Equal("长沙市岳麓区", offered["area"]!.GetValue<string>());
        Assert.Equal(("repair", "ac"), (offered["type"]!.GetValue<string>(), offered["productLine"]!.GetValue<string>()));
        Assert.NotNull(offered["requestedWindow"]!["start"]);
        var text = offered.ToJsonString();
        foreach (var secret in new[] { order["contactPhone"]!.GetValue<string>(), "麓山南路", "13912345678", "测试客户" })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        foreach (var field in new[] { "address", "contactPhone", "contactPerson", "customer", "location" })
            Assert.Null(offered[field]);
        Assert.Contains("不制冷", offered["faultDescription"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_order_taken_back_from_the_pool_or_dispatched_by_the_dispatcher_can_no_longer_be_taken()
    {
        var (user, _, _) = await _given.NewTechnician();
        var id = await PooledOrder();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.Conflict);

        var back = (await _given.Dispatcher.Post($"/api/work-orders/{id}/withdraw-from-pool")).Expect(HttpStatusCode.OK).Body;
        Assert.False(back["inPool"]!.GetValue<bool>());
        Assert.Equal("unpooled", Actions(back).Last());
        Assert.False((await QueueRow(id))!["inPool"]!.GetValue<bool>());
        Assert.Null(await InPool(user, id));
        // No longer offered to them: as for any order they may not see, it does not exist (F8).
        (await Take(user, id)).Expect(HttpStatusCode.NotFound);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/withdraw-from-pool")).Expect(HttpStatusCode.Conflict);

        // Released again, then assigned on the board: a dispatched order leaves the pool.
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        var dispatched = (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = await _given.TechnicianId("tech02") })).Expect(HttpStatusCode.OK).Body;
        Assert.False(dispatched["inPool"]!.GetValue<bool>());
        Assert.Null(await InPool(user, id));
        (await Take(user, id)).Expect(HttpStatusCode.NotFound);
        Assert.Equal("dispatched", (await Order(id))["status"]!.GetValue<string>());
        // Nor does a dispatched order go back into the pool.
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.Conflict);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/withdraw-from-pool")).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Two_technicians_taking_the_same_order_at_once_get_one_winner_and_the_other_hears_it_was_taken_by_someone_else()
    {
        var (first, firstTech, _) = await _given.NewTechnician();
        var (second, secondTech, _) = await _given.NewTechnician();
        for (var round = 0; round < 3; round++)
        {
            var id = await PooledOrder();
            var replies = await Task.WhenAll(Take(first, id), Take(second, id));
            var won = Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
            // The loser read the order while it was still in the pool (409: taken by someone else) or after the winner's
            // take was committed, when it is the winner's order and does not exist for them (404, as asking again below).
            var lost = Assert.Single(replies, r => r.Status is HttpStatusCode.Conflict or HttpStatusCode.NotFound);
            if (lost.Status == HttpStatusCode.Conflict) Assert.Contains("已被他人抢走", lost.Body["detail"]!.GetValue<string>());
            var order = await Order(id);
            Assert.Equal(won.Body["technicianId"]!.GetValue<int>(), order["technicianId"]!.GetValue<int>());
            Assert.Contains(order["technicianId"]!.GetValue<int>(), new[] { firstTech, secondTech });
            Assert.Single(Actions(order), a => a == "taken");
            Assert.Single(Actions(order), a => a == "accepted");
            // Asking again, the loser is asking for the winner's order, which they may not see: it does not exist for them.
            var loser = won.Body["technicianId"]!.GetValue<int>() == firstTech ? second : first;
            (await Take(loser, id)).Expect(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Taking_an_order_the_technician_may_not_see_answers_404_as_for_an_order_that_does_not_exist_and_never_names_it()
    {
        var (user, _, _) = await _given.NewTechnician();
        var (colleague, colleagueTech, _) = await _given.NewTechnician();
        var missing = (await Take(user, 999_999_999)).Expect(HttpStatusCode.NotFound).Body;

        // Another technician's order, dispatched to them; an order of the branch never offered; one taken by a colleague.
        var dispatched = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        (await _given.Dispatcher.Post($"/api/work-orders/{dispatched}/dispatch", new { technicianId = colleagueTech })).Expect(HttpStatusCode.OK);
        var unpooled = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var taken = await PooledOrder();
        (await Take(colleague, taken)).Expect(HttpStatusCode.OK);

        foreach (var id in new[] { dispatched, unpooled, taken })
        {
            var code = (await Order(id))["code"]!.GetValue<string>();
            var refused = (await Take(user, id)).Expect(HttpStatusCode.NotFound).Body;
            Assert.DoesNotContain(code, refused.ToJsonString(), StringComparison.Ordinal);
            // The same answer as every other action on an order they may not see, and as an id that does not exist.
            (await app.Api(user).Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.NotFound);
            Assert.Equal(missing["title"]!.GetValue<string>(), refused["title"]!.GetValue<string>());
            Assert.Equal(missing["detail"]!.GetValue<string>().Replace("999999999", $"{id}", StringComparison.Ordinal), refused["detail"]!.GetValue<string>());
        }
        // Nothing changed on any of them.
        Assert.Equal(colleagueTech, (await Order(dispatched))["technicianId"]!.GetValue<int>());
        Assert.Equal("new", (await Order(unpooled))["status"]!.GetValue<string>());
        Assert.Equal(colleagueTech, (await Order(taken))["technicianId"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_Idempotency_Key_sent_twice_takes_the_order_once_and_answers_the_same()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var id = await PooledOrder();
        var key = Guid.NewGuid().ToString();
        var once = (await Take(user, id, key)).Expect(HttpStatusCode.OK);
        var twice = (await Take(user, id, key)).Expect(HttpStatusCode.OK);
        Assert.Equal("true", twice.Raw.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(once.Body["version"]!.GetValue<int>(), twice.Body["version"]!.GetValue<int>());
        var order = await Order(id);
        Assert.Equal(tech, order["technicianId"]!.GetValue<int>());
        Assert.Single(Actions(order), a => a == "taken");
        // Without the key, a second tap is told the order is already theirs.
        Assert.Contains("您已抢到此工单", (await Take(user, id)).Expect(HttpStatusCode.Conflict).Body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_reason_of_the_one_eligibility_rule_greys_the_order_in_the_pool_and_refuses_the_take_in_Chinese()
    {
        var id = await PooledOrder();
        var cases = new List<(string User, string Code, string Chinese)>();

        var (suspended, suspendedTech, _) = await _given.NewTechnician();
        (await _given.Manager.Post("/api/suspensions", new { technicianId = suspendedTech, from = D(Today), to = D(Today.AddDays(1)), reason = "不服从调度" })).Expect(HttpStatusCode.Created);
        cases.Add((suspended, "suspended", "停工"));

        var (onLeave, leaveTech, _) = await _given.NewTechnician();
        var leave = (await app.Api(onLeave).Post("/api/leave-requests", new { from = D(Today), to = D(Today), reason = "家中有事" })).Expect(HttpStatusCode.Created).Id;
        (await app.Api("supervisor").Post($"/api/leave-requests/{leave}/approve", new { note = "同意" })).Expect(HttpStatusCode.OK);
        cases.Add((onLeave, "onLeave", "请假"));

        var (offDuty, offDutyTech, _) = await _given.NewTechnician();
        (await _given.Manager.Patch($"/api/technicians/{offDutyTech}", new { onDuty = false })).Expect(HttpStatusCode.OK);
        cases.Add((offDuty, "offDuty", "不在岗"));

        var (noKit, noKitTech, _) = await _given.NewTechnician(["ac.repair"]);
        (await app.Api("supervisor").Post("/api/tool-checks", new { technicianId = noKitTech, missing = new[] { "refrigerantGauge" } })).Expect(HttpStatusCode.Created);
        cases.Add((noKit, "kitIncomplete", "雪种表"));

        var (noSkill, _, _) = await _given.NewTechnician(["purifier.install", "purifier.repair"]);
        cases.Add((noSkill, "skill", "技能"));

        foreach (var (user, code, chinese) in cases)
        {
            var offered = await InPool(user, id);
            Assert.NotNull(offered);
            Assert.False(offered!["eligible"]!.GetValue<bool>());
            Assert.Contains(code, Codes(offered["reasons"]!));
            var refused = (await Take(user, id)).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains(code, Codes(refused["reasons"]!));
            Assert.Contains(chinese, refused["detail"]!.GetValue<string>());
        }
        var order = await Order(id);
        Assert.True(order["inPool"]!.GetValue<bool>());
        Assert.Equal("new", order["status"]!.GetValue<string>());
        Assert.DoesNotContain("taken", Actions(order));
    }

    [Fact]
    public async Task A_job_that_needs_a_certificate_is_taken_only_by_a_holder_of_a_valid_one()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var id = (await _given.Clerk.Post("/api/work-orders", new { type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "需改电源", jobs = new[] { "powerSupplyModification" } }))
            .Expect(HttpStatusCode.Created).Id;
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        Assert.Equal(["certificateMissing"], Codes((await InPool(user, id))!["reasons"]!));
        var refused = (await Take(user, id)).Expect(HttpStatusCode.Conflict).Body;
        Assert.Equal(["certificateMissing"], Codes(refused["reasons"]!));
        Assert.Contains("电工证", refused["detail"]!.GetValue<string>());

        (await app.Api("supervisor").Post("/api/certificates", new { technicianId = tech, kind = "electrician", number = $"C{Guid.NewGuid():N}"[..10], validFrom = D(Today.AddDays(-1)), validTo = D(Today.AddYears(3)) }))
            .Expect(HttpStatusCode.Created);
        Assert.True((await InPool(user, id))!["eligible"]!.GetValue<bool>());
        Assert.Equal(tech, (await Take(user, id)).Expect(HttpStatusCode.OK).Body["technicianId"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_uninsured_technician_cannot_take_a_pool_order()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        try
        {
            var (user, tech, _) = await _given.NewTechnician();
            (await app.Api("supervisor").Post($"/api/technicians/{tech}/employment/items", new { item = "insurance", reference = "PICC-2025-0001", validFrom = D(Today.AddYears(-1)), validTo = D(Today.AddDays(-1)) }))
                .Expect(HttpStatusCode.OK);
            var id = await PooledOrder();
            Assert.Contains("uninsured", Codes((await InPool(user, id))!["reasons"]!));
            var refused = (await Take(user, id)).Expect(HttpStatusCode.Conflict).Body;
            Assert.Equal(["uninsured"], Codes(refused["reasons"]!));
            Assert.Contains("未投保", refused["detail"]!.GetValue<string>());
            // Renewed: the person may take it (and leaves no uninsured colleague on the shared board).
            (await app.Api("supervisor").Post($"/api/technicians/{tech}/employment/items", new { item = "insurance", reference = "PICC-2026-0002", validFrom = D(Today), validTo = D(Today.AddYears(1)) }))
                .Expect(HttpStatusCode.OK);
            Assert.Equal(tech, (await Take(user, id)).Expect(HttpStatusCode.OK).Body["technicianId"]!.GetValue<int>());
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }

    [Fact]
    public async Task Only_technicians_take_only_the_dispatching_roles_release_and_another_branch_neither_sees_nor_takes_the_order()
    {
        var (user, _, _) = await _given.NewTechnician();
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        (await app.Api(user).Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.Forbidden);
        (await app.Api("visitor").Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.Forbidden);
        (await app.Api("warehouse").Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.Forbidden);
        (await _given.Clerk.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/take")).Expect(HttpStatusCode.Forbidden);
        (await _given.Manager.Post($"/api/work-orders/{id}/take")).Expect(HttpStatusCode.Forbidden);
        (await app.Api("visitor").Get("/api/dispatch/pool")).Expect(HttpStatusCode.Forbidden);
        (await Take(user, 999_999_999)).Expect(HttpStatusCode.NotFound);

        var outsider = await _given.OtherBranchTechnician();
        (await Take(outsider, id)).Expect(HttpStatusCode.NotFound);
        Assert.Null(await InPool(outsider, id));
        var home = (await Order(id))["branchId"]!.GetValue<int>();
        (await app.Api(outsider).Get($"/api/dispatch/pool?branchId={home}")).Expect(HttpStatusCode.NotFound);
        Assert.True((await Order(id))["inPool"]!.GetValue<bool>());

        // An angry customer's order is the manager's to dispatch personally (INT-16 in the generic preset): never pooled.
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var angry = (await _given.Clerk.Post("/api/work-orders", new { type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "第三次报修", angryCustomer = true }))
            .Expect(HttpStatusCode.Created).Id;
        Assert.Contains("INT-16", (await _given.Dispatcher.Post($"/api/work-orders/{angry}/release-to-pool")).Expect(HttpStatusCode.Conflict).Body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_the_policy_setting_newOrdersToPool_a_new_order_goes_into_the_pool_at_once()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic", parameters = new { dispatch = new { newOrdersToPool = true } } })).Expect(HttpStatusCode.OK);
        try
        {
            var (user, _, _) = await _given.NewTechnician();
            var order = await _given.NewRepairOrder();
            Assert.True(order["inPool"]!.GetValue<bool>());
            Assert.Equal(["created", "pooled"], Actions(order));
            Assert.True((await InPool(user, order["id"]!.GetValue<long>()))!["eligible"]!.GetValue<bool>());
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
        // Off by default: the dispatcher decides.
        Assert.False((await _given.NewRepairOrder())["inPool"]!.GetValue<bool>());
    }
}
