using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class LifecycleTestsOnSqlite(SqliteFixture app) : LifecycleTests(app);
[Collection(PostgresCollection.Name)] public sealed class LifecycleTestsOnPostgres(PostgresFixture app) : LifecycleTests(app);

public abstract class LifecycleTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task An_order_goes_from_intake_to_close_and_every_step_is_on_the_timeline_with_actor_and_role()
    {
        var created = await _given.NewRepairOrder();
        var id = created["id"]!.GetValue<long>();
        Assert.Equal("new", created["status"]!.GetValue<string>());
        Assert.Matches(@"^WO-\d{8}-\d{4}$", created["code"]!.GetValue<string>());
        Assert.True(created["inWarranty"]!.GetValue<bool>());

        var tech = app.Api("tech01");
        var techId = await _given.TechnicianId("tech01");
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = techId })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddHours(1);
        (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/reschedule", new { appointment = new { start = at.AddHours(1), end = at.AddHours(3) }, reason = "客户要求推迟", customerConsent = true })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.181, lng = 112.941 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var completed = (await tech.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Equal(30.00m, completed["charges"]![0]!["amount"]!.GetValue<decimal>());
        Assert.Contains(completed["attachments"]!.AsArray(), a => a!["kind"]!.GetValue<string>() == "signature");
        (await app.Api("visitor").Post($"/api/work-orders/{id}/return-visit", new { reached = true, satisfaction = 5, findings = new[] { "服务规范" }, notes = "满意" })).Expect(HttpStatusCode.OK);
        var closed = (await _given.Manager.Post($"/api/work-orders/{id}/close")).Expect(HttpStatusCode.OK).Body;

        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        var timeline = closed["timeline"]!.AsArray();
        Assert.Equal(["created", "dispatched", "accepted", "contacted", "rescheduled", "checkedIn", "completed", "returnVisited", "closed"],
            timeline.Select(e => e!["action"]!.GetValue<string>()).ToArray());
        Assert.Equal(["infoClerk", "dispatcher", "technician", "technician", "technician", "technician", "technician", "returnVisitAgent", "manager"],
            timeline.Select(e => e!["role"]!.GetValue<string>()).ToArray());
        var checkIn = timeline.Single(e => e!["action"]!.GetValue<string>() == "checkedIn")!;
        Assert.Equal("tech01", checkIn["actor"]!.GetValue<string>());
        Assert.Equal(28.181, checkIn["data"]!["location"]!["lat"]!.GetValue<double>());
        Assert.EndsWith("+08:00", checkIn["at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rejected_order_goes_back_to_the_queue_without_a_technician()
    {
        var id = await _given.OrderIn("dispatched");
        var order = (await app.Api("tech01").Post($"/api/work-orders/{id}/reject", new { reason = "不在服务区域" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("new", order["status"]!.GetValue<string>());
        Assert.Null(order["technicianId"]);
        Assert.Equal("rejected", order["timeline"]!.AsArray().Last()!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_transferred_order_belongs_to_the_new_technician_who_must_accept_it_again()
    {
        var id = await _given.OrderIn("scheduled");
        var tech02 = await _given.TechnicianId("tech02");
        var order = (await _given.Dispatcher.Post($"/api/work-orders/{id}/transfer", new { technicianId = tech02, reason = "原师傅请假" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("dispatched", order["status"]!.GetValue<string>());
        Assert.Equal(tech02, order["technicianId"]!.GetValue<int>());
        (await app.Api("tech01").Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.NotFound);
        (await app.Api("tech02").Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_empty_trip_completes_the_order_as_no_fault_found()
    {
        var id = await _given.OrderIn("inProgress");
        var order = (await app.Api("tech01").Post($"/api/work-orders/{id}/empty-trip", new { reason = "客户已恢复正常" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("completed", order["status"]!.GetValue<string>());
        Assert.True(order["emptyTrip"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_unreachable_customer_leaves_the_order_accepted_and_records_the_attempt()
    {
        var id = await _given.OrderIn("accepted");
        var order = (await app.Api("tech01").Post($"/api/work-orders/{id}/contact", new { outcome = "unreachable" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("accepted", order["status"]!.GetValue<string>());
        Assert.Equal("contactFailed", order["timeline"]!.AsArray().Last()!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cancelled_order_refuses_every_further_action()
    {
        var id = await _given.OrderIn("cancelled");
        var reply = (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = await _given.TechnicianId("tech01") })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("工单当前为「已取消」，不能派工。", reply.Str("detail"));
    }

    [Fact]
    public async Task A_failed_return_visit_call_keeps_the_order_completed()
    {
        var id = await _given.OrderIn("completed");
        var order = (await app.Api("visitor").Post($"/api/work-orders/{id}/return-visit", new { reached = false })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("completed", order["status"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> IllegalTransitions => new()
    {
        { "new", "manager", "close" },
        { "new", "visitor", "return-visit" },
        { "dispatched", "dispatcher", "dispatch" },
        { "dispatched", "tech01", "complete" },
        { "accepted", "tech01", "accept" },
        { "scheduled", "tech01", "complete" },
        { "inProgress", "tech01", "check-in" },
        { "inProgress", "dispatcher", "transfer" },
        { "completed", "dispatcher", "cancel" },
        { "completed", "manager", "close" },
        { "visited", "visitor", "return-visit" },
        { "closed", "dispatcher", "cancel" },
        { "cancelled", "manager", "close" },
    };

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public async Task An_illegal_transition_answers_409_naming_the_current_state_and_the_action(string status, string user, string action)
    {
        var id = await _given.OrderIn(status);
        var before = (await _given.Manager.Get($"/api/work-orders/{id}")).Body;
        object body = action switch
        {
            "dispatch" or "transfer" => new { technicianId = await _given.TechnicianId("tech02"), reason = "调整" },
            "check-in" => new { location = new { lat = 28.1, lng = 112.9 } },
            "complete" => Given.CompleteBody(),
            "cancel" => new { reason = "取消" },
            "return-visit" => new { reached = true, satisfaction = 4 },
            _ => new { },
        };
        var reply = (await app.Api(user).Post($"/api/work-orders/{id}/{action}", body)).Expect(HttpStatusCode.Conflict);
        Assert.Equal(status, reply.Str("currentStatus"));
        Assert.Contains(Fieldline.Web.Infrastructure.Localization.Catalogue.Code("status", status, Fieldline.Web.Infrastructure.Localization.Catalogue.Chinese), reply.Str("detail"));
        var after = (await _given.Manager.Get($"/api/work-orders/{id}")).Body;
        Assert.Equal(before["version"]!.GetValue<int>(), after["version"]!.GetValue<int>());
        Assert.Equal(before["timeline"]!.AsArray().Count, after["timeline"]!.AsArray().Count);
    }

    public static TheoryData<string, string, string> ForbiddenActions => new()
    {
        { "new", "clerk", "transfer" },
        { "new", "visitor", "dispatch" },
        { "new", "finance", "cancel" },
        { "dispatched", "dispatcher", "accept" },
        { "dispatched", "manager", "reject" },
        { "accepted", "dispatcher", "contact" },
        { "scheduled", "clerk", "check-in" },
        { "inProgress", "manager", "complete" },
        { "completed", "manager", "return-visit" },
        { "visited", "dispatcher", "close" },
        { "visited", "visitor", "close" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenActions))]
    public async Task A_role_that_may_not_take_an_action_is_refused_with_403(string status, string user, string action)
    {
        var id = await _given.OrderIn(status);
        (await app.Api(user).Post($"/api/work-orders/{id}/{action}", new { reason = "x", technicianId = 1, outcome = "unreachable", reached = false })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Codes_are_numbered_per_branch_and_local_day()
    {
        var a = (await _given.NewRepairOrder())["code"]!.GetValue<string>();
        var b = (await _given.NewRepairOrder())["code"]!.GetValue<string>();
        var local = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.StartsWith($"WO-{local:yyyyMMdd}-", a);
        Assert.Equal(int.Parse(a[^4..]) + 1, int.Parse(b[^4..]));
    }

    [Fact]
    public async Task Warranty_is_computed_from_the_registered_product_at_intake()
    {
        var customer = await _given.Customer();
        var today = DateOnly.FromDateTime(app.LocalNow.DateTime);
        var expired = await _given.Product(customer, "purifier", warrantyMonths: 12, purchased: today.AddMonths(-13));
        var valid = await _given.Product(customer, "purifier", warrantyMonths: 12, purchased: today.AddMonths(-11));
        var outOfWarranty = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, expired, "出水量小"))).Expect(HttpStatusCode.Created).Body;
        var inWarranty = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, valid, "出水量小"))).Expect(HttpStatusCode.Created).Body;
        Assert.False(outOfWarranty["inWarranty"]!.GetValue<bool>());
        Assert.True(inWarranty["inWarranty"]!.GetValue<bool>());
        Assert.Equal("filter", inWarranty["product"]!["warrantyExclusions"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_customer_given_inline_is_created_once_and_matched_by_phone_afterwards()
    {
        var phone = Given.Phone();
        object Body() => new
        {
            type = "install", channel = "brand", productLine = "ac", productModel = "KFR-35GW", purchaseDate = "2026-11-20",
            customer = new { name = "新客户", phone, address = "长沙市开福区湘江中路88号" },
        };
        var first = (await _given.Clerk.Post("/api/work-orders", Body())).Expect(HttpStatusCode.Created).Body;
        var second = (await _given.Clerk.Post("/api/work-orders", Body())).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(first["customer"]!["id"]!.GetValue<int>(), second["customer"]!["id"]!.GetValue<int>());
        var found = (await _given.Clerk.Get($"/api/customers?phone={phone}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(1, found["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Dispatch_to_a_technician_without_the_skill_is_refused_naming_the_field()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer, "purifier");
        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, "漏水"))).Expect(HttpStatusCode.Created).Body;
        var reply = (await _given.Dispatcher.Post($"/api/work-orders/{order["id"]}/dispatch", new { technicianId = await _given.TechnicianId("tech03") })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["technicianId"], reply.ErrorFields);
        Assert.Contains("不具备该工单所需的技能：净水器维修", reply.Body["errors"]!["technicianId"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_angry_customers_order_is_dispatched_by_the_manager_not_the_clerk()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var order = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "第三次不制冷", angryCustomer = true,
        })).Expect(HttpStatusCode.Created).Body;
        var tech = await _given.TechnicianId("tech01");
        (await _given.Clerk.Post($"/api/work-orders/{order["id"]}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Forbidden);
        var dispatched = (await _given.Manager.Post($"/api/work-orders/{order["id"]}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("manager", dispatched["timeline"]!.AsArray().Last()!["role"]!.GetValue<string>());
    }
}
