using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Sla;

[Collection(SqliteCollection.Name)] public sealed class SlaScenarioTestsOnSqlite(SqliteFixture app) : SlaScenarioTests(app);
[Collection(PostgresCollection.Name)] public sealed class SlaScenarioTestsOnPostgres(PostgresFixture app) : SlaScenarioTests(app);

/// <summary>The acceptance scenarios of spec/scenarios.md, walked with the test clock, asserting exact due times, breaches and fines.</summary>
public abstract class SlaScenarioTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset, object? parameters = null) =>
        (await _given.Manager.Put("/api/policy", parameters is null ? new { basedOn = preset } : new { basedOn = preset, parameters })).Expect(HttpStatusCode.OK);

    private async Task<long> Repair(string type = "repair", bool inWarranty = true)
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer, purchased: inWarranty ? null : new DateOnly(2018, 1, 10));
        var body = type == "repair" ? Given.RepairBody(customer, serial) : new { type, channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "安装" };
        return (await _given.Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.Created).Id;
    }

    private async Task<JsonNode> Order(long id) => (await _given.Manager.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;

    private static JsonNode Clock(JsonNode order, string name) => order["clocks"]!.AsArray().Last(c => c!["name"]!.GetValue<string>() == name)!;

    private static DateTimeOffset T(JsonNode node) => node.GetValue<DateTimeOffset>();

    private async Task<JsonArray> Breaches(long id, bool targets = false) =>
        (await _given.Manager.Get($"/api/sla/breaches?workOrderId={id}&includeTargets={targets}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    private async Task<JsonArray> Cases(long id) => (await _given.Manager.Get($"/api/penalty-cases?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    private Task<Reply> Act(string user, long id, string action, object? body = null) => app.Api(user).Post($"/api/work-orders/{id}/{action}", body ?? new { });

    private async Task Dispatch(long id, int technicianId) => (await Act("dispatcher", id, "dispatch", new { technicianId })).Expect(HttpStatusCode.OK);

    /// <summary>accept → contact (reached) → check-in, at the current time.</summary>
    private async Task OnSite(string tech, long id, DateTimeOffset appointment)
    {
        (await Act(tech, id, "accept")).Expect(HttpStatusCode.OK);
        (await Act(tech, id, "contact", new { outcome = "reached", appointment = new { start = appointment, end = appointment.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await Act(tech, id, "check-in", new { location = new { lat = 28.2, lng = 112.9 } })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC02_a_request_not_dispatched_within_30_minutes_breaches_and_alerts_the_clerk_and_the_manager()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 10, 5);
        await app.At(monday);
        var id = await Repair();
        Assert.Equal(monday.AddMinutes(30), T(Clock(await Order(id), "dispatch")["dueAt"]!));

        await app.At(monday.AddMinutes(29));
        Assert.Empty(await Breaches(id));
        await app.At(monday.AddMinutes(30));
        var breach = Assert.Single(await Breaches(id))!;
        Assert.Equal("dispatch", breach["clock"]!.GetValue<string>());
        Assert.Equal("INT-14", breach["ruleId"]!.GetValue<string>());
        Assert.Equal("infoClerk", breach["responsibleRole"]!.GetValue<string>());
        Assert.Equal(monday.AddMinutes(30), T(breach["dueAt"]!));
        Assert.Equal("overdue", Clock(await Order(id), "dispatch")["state"]!.GetValue<string>());
        var overdue = (await _given.Dispatcher.Get("/api/work-orders?overdue=true&pageSize=200")).Body["items"]!.AsArray();
        Assert.Contains(overdue, o => o!["id"]!.GetValue<long>() == id);
        foreach (var user in new[] { "clerk", "manager" })
        {
            var inbox = (await app.Api(user).Get("/api/notifications?pageSize=200")).Body["items"]!.AsArray();
            Assert.Contains(inbox, n => n!["workOrderId"]?.GetValue<long>() == id && n["kind"]!.GetValue<string>() == "slaBreach");
        }

        await app.At(monday.AddMinutes(36)); // 10:41
        var tech = await _given.NewTechnician();
        await Dispatch(id, tech.TechnicianId);
        breach = Assert.Single(await Breaches(id))!;
        Assert.Equal(monday.AddMinutes(36), T(breach["actualAt"]!));
        Assert.Equal(6, breach["lateMinutes"]!.GetValue<double>());
        Assert.Equal("breached", Clock(await Order(id), "dispatch")["state"]!.GetValue<string>());

        await app.At(monday.AddDays(1)); // Tuesday 10:05, still not accepted
        Assert.Contains(await Breaches(id), b => b!["clock"]!.GetValue<string>() == "processing" && T(b["dueAt"]!) == monday.AddDays(1));
        await Policy("generic");
    }

    [Fact]
    public async Task SC04_a_planned_installation_gets_a_progress_call_task_from_1248_to_1312_and_an_anomaly_opens_an_emergency_item()
    {
        await Policy("binchun-water-purifier-2015");
        var day = app.Next(DayOfWeek.Wednesday, 8, 30);
        await app.At(day);
        var id = await Repair("install");
        var tech = await _given.NewTechnician();
        await Dispatch(id, tech.TechnicianId);
        (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);
        var ten = day.AddMinutes(90);
        (await Act(tech.User, id, "contact", new { outcome = "reached", appointment = new { start = ten, end = ten.AddHours(4) } })).Expect(HttpStatusCode.OK);
        var call = Clock(await Order(id), "progressCall");
        Assert.Equal(ten.AddMinutes(168), T(call["warnAt"]!));  // 12:48
        Assert.Equal(ten.AddMinutes(192), T(call["dueAt"]!));   // 13:12
        Assert.Equal("INT-17", call["ruleId"]!.GetValue<string>());

        await app.At(ten.AddMinutes(192));
        Assert.Equal("overdue", Clock(await Order(id), "progressCall")["state"]!.GetValue<string>());
        Assert.Contains(await Breaches(id), b => b!["clock"]!.GetValue<string>() == "progressCall" && b["responsibleRole"]!.GetValue<string>() == "infoClerk");
        (await Act("clerk", id, "progress-call", new { expectedFinish = ten.AddHours(5), anomaly = true, notes = "外机支架不合格" })).Expect(HttpStatusCode.OK);
        await app.Tick();
        var inbox = (await _given.Manager.Get("/api/notifications?pageSize=200")).Body["items"]!.AsArray();
        Assert.Contains(inbox, n => n!["kind"]!.GetValue<string>() == "emergency" && n["workOrderId"]!.GetValue<long>() == id);
        Assert.Equal("breached", Clock(await Order(id), "progressCall")["state"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC05_an_installer_calling_at_1630_after_a_1400_dispatch_is_contact_overdue_from_1600_without_a_fine()
    {
        await Policy("binchun-water-purifier-2015");
        var day = app.Next(DayOfWeek.Wednesday, 13, 50);
        await app.At(day);
        var id = await Repair("install");
        var tech = await _given.NewTechnician();
        await app.At(day.AddMinutes(10));
        await Dispatch(id, tech.TechnicianId);
        await app.At(day.AddMinutes(15));
        (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);
        await app.At(day.AddMinutes(130)); // 16:00
        var breach = Assert.Single(await Breaches(id))!;
        Assert.Equal(("contact", "DSP-02"), (breach["clock"]!.GetValue<string>(), breach["ruleId"]!.GetValue<string>()));
        Assert.Equal(day.AddMinutes(130), T(breach["dueAt"]!));
        await app.At(day.AddMinutes(160)); // 16:30
        (await Act(tech.User, id, "contact", new { outcome = "reached", appointment = new { start = day.AddDays(1), end = day.AddDays(1).AddHours(2) } })).Expect(HttpStatusCode.OK);
        Assert.Equal(day.AddMinutes(160), T((await Breaches(id))[0]!["actualAt"]!));
        Assert.Empty(await Cases(id));
        await Policy("generic");
    }

    [Fact]
    public async Task SC05_edge_a_dispatch_order_not_accepted_in_time_shows_not_acknowledged_and_the_dispatcher_can_reassign_it()
    {
        await Policy("binchun-water-purifier-2015");
        var day = app.Next(DayOfWeek.Thursday, 14, 0);
        await app.At(day.AddMinutes(-5));
        var id = await Repair("install");
        var wang = await _given.NewTechnician();
        var zhao = await _given.NewTechnician();
        await app.At(day);
        await Dispatch(id, wang.TechnicianId);
        Assert.Equal(day.AddMinutes(30), T(Clock(await Order(id), "acknowledgement")["dueAt"]!));
        await app.At(day.AddMinutes(30));
        Assert.Equal("overdue", Clock(await Order(id), "acknowledgement")["state"]!.GetValue<string>());
        Assert.Contains(await Breaches(id), b => b!["clock"]!.GetValue<string>() == "acknowledgement" && b["ruleId"]!.GetValue<string>() == "DSP-01");
        var inbox = (await _given.Dispatcher.Get("/api/notifications?pageSize=200")).Body["items"]!.AsArray();
        Assert.Contains(inbox, n => n!["kind"]!.GetValue<string>() == "slaBreach" && n["workOrderId"]!.GetValue<long>() == id);

        (await Act("dispatcher", id, "transfer", new { technicianId = zhao.TechnicianId, reason = "未确认接单,改派" })).Expect(HttpStatusCode.OK);
        var ack = Clock(await Order(id), "acknowledgement");
        Assert.Equal("running", ack["state"]!.GetValue<string>());
        Assert.Equal(day.AddMinutes(60), T(ack["dueAt"]!));
        (await Act(zhao.User, id, "accept")).Expect(HttpStatusCode.OK);
        Assert.Equal("met", Clock(await Order(id), "acknowledgement")["state"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC06_a_repair_contact_misses_the_20_minute_target_at_0920_and_the_4_hour_threshold_at_1300_without_a_fine_absent_a_complaint()
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Thursday, 9, 0);
        await app.At(nine.AddMinutes(-5));
        var id = await Repair();
        var tech = await _given.NewTechnician();
        await app.At(nine);
        await Dispatch(id, tech.TechnicianId);
        (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);

        await app.At(nine.AddMinutes(20));
        Assert.Equal("overdue", Clock(await Order(id), "contact")["state"]!.GetValue<string>());
        var target = Assert.Single(await Breaches(id, targets: true))!;
        Assert.True(target["isTarget"]!.GetValue<bool>());
        Assert.Equal("DSP-03", target["ruleId"]!.GetValue<string>());
        Assert.Empty(await Breaches(id));

        await app.At(nine.AddHours(4));
        var limit = Assert.Single(await Breaches(id))!;
        Assert.Equal(("contactLimit", "DSP-04"), (limit["clock"]!.GetValue<string>(), limit["ruleId"]!.GetValue<string>()));
        await app.At(nine.AddHours(4.5));
        (await Act(tech.User, id, "contact", new { outcome = "reached", appointment = new { start = nine.AddHours(6), end = nine.AddHours(8) } })).Expect(HttpStatusCode.OK);
        Assert.Equal(nine.AddHours(4.5), T((await Breaches(id))[0]!["actualAt"]!));
        Assert.Empty(await Cases(id)); // PEN-88 needs a customer complaint
        await Policy("generic");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SC07_a_customer_the_dispatcher_also_cannot_reach_exempts_the_contact_clocks(bool dispatcherReachesCustomer)
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Friday, 9, 0);
        await app.At(nine.AddMinutes(-10));
        var id = await Repair();
        var tech = await _given.NewTechnician();
        await app.At(nine);
        await Dispatch(id, tech.TechnicianId);
        (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);
        foreach (var minutes in new[] { 5, 40, 90 })
        {
            await app.At(nine.AddMinutes(minutes));
            (await Act(tech.User, id, "contact", new { outcome = "unreachable" })).Expect(HttpStatusCode.OK);
        }
        await app.At(nine.AddMinutes(95));
        var order = (await Act("dispatcher", id, "confirm-unreachable", new { reached = dispatcherReachesCustomer })).Expect(HttpStatusCode.OK).Body;
        await app.At(nine.AddHours(5));
        if (dispatcherReachesCustomer)
        {
            Assert.Contains(await Breaches(id), b => b!["clock"]!.GetValue<string>() == "contactLimit");
        }
        else
        {
            Assert.Equal("exempt", Clock(await Order(id), "contactLimit")["state"]!.GetValue<string>());
            Assert.Equal("unreachableConfirmed", Clock(order, "contact")["exemptReason"]!.GetValue<string>());
            Assert.Empty(await Breaches(id));
        }
        await Policy("generic");
    }

    [Fact]
    public async Task SC08_two_missed_appointments_in_a_month_revoke_that_months_eligibility_and_the_count_restarts_next_month()
    {
        await Policy("gree-dealer-changsha-2012");
        var start = app.LocalNow.AddDays(40);
        var day = new DateTimeOffset(start.Year, start.Month, 3, 9, 0, 0, TimeSpan.FromHours(8));
        await app.At(day);
        var tech = await _given.NewTechnician();
        async Task<long> Missed(DateTimeOffset appointment)
        {
            var id = await Repair();
            await Dispatch(id, tech.TechnicianId);
            (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);
            (await Act(tech.User, id, "contact", new { outcome = "reached", appointment = new { start = appointment, end = appointment.AddHours(2) } })).Expect(HttpStatusCode.OK);
            return id;
        }
        var first = await Missed(day.AddHours(5));
        await app.At(day.AddHours(7)); // the 2-hour window ended without a visit
        Assert.Contains(await Breaches(first), b => b!["clock"]!.GetValue<string>() == "visit" && b["ruleId"]!.GetValue<string>() == "DSP-09");
        await app.At(day.AddDays(18));
        await Missed(app.LocalNow.AddHours(1));
        await app.At(app.LocalNow.AddHours(3));
        var month = $"{day:yyyy-MM}";
        var counter = (await _given.Manager.Get($"/api/sla/eligibility?month={month}&personUserId={tech.UserId}")).Body.AsArray().Single(c => c!["kind"]!.GetValue<string>() == "noVisits")!;
        Assert.Equal(2, counter["count"]!.GetValue<int>());
        Assert.True(counter["revoked"]!.GetValue<bool>());
        Assert.Equal("DSP-09", counter["ruleId"]!.GetValue<string>());

        var nextMonth = new DateTimeOffset(day.Year, day.Month, 1, 9, 0, 0, day.Offset).AddMonths(1).AddDays(1);
        await app.At(nextMonth);
        await Missed(nextMonth.AddHours(1));
        await app.At(nextMonth.AddHours(4));
        var july = (await _given.Manager.Get($"/api/sla/eligibility?month={nextMonth:yyyy-MM}&personUserId={tech.UserId}")).Body.AsArray()
            .Single(c => c!["kind"]!.GetValue<string>() == "noVisits")!;
        Assert.Equal(1, july["count"]!.GetValue<int>());
        Assert.False(july["revoked"]!.GetValue<bool>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC09_a_technician_cannot_hand_an_order_to_a_colleague_without_the_dispatcher()
    {
        await Policy("binchun-water-purifier-2015");
        await app.At(app.Next(DayOfWeek.Tuesday, 10, 0));
        var wang = await _given.NewTechnician();
        var zhao = await _given.NewTechnician();
        var id = await Repair();
        await Dispatch(id, wang.TechnicianId);
        (await Act(wang.User, id, "accept")).Expect(HttpStatusCode.OK);
        var asked = (await Act(wang.User, id, "transfer-request", new { technicianId = zhao.TechnicianId, reason = "我下午有别的安装" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(wang.TechnicianId, asked["technicianId"]!.GetValue<int>());
        (await Act(zhao.User, id, "complete", Given.CompleteBody())).Expect(HttpStatusCode.NotFound); // executor ≠ assignee
        await app.Tick(); // deliver the outbox
        var inbox = (await _given.Dispatcher.Get("/api/notifications?pageSize=200")).Body["items"]!.AsArray();
        Assert.Contains(inbox, n => n!["kind"]!.GetValue<string>() == "transferRequested" && n["workOrderId"]!.GetValue<long>() == id);

        var moved = (await Act("dispatcher", id, "transfer", new { technicianId = zhao.TechnicianId, reason = "同意转单" })).Expect(HttpStatusCode.OK).Body;
        var entry = moved["timeline"]!.AsArray().Last()!;
        Assert.Equal(("transferred", "dispatcher", "dispatcher"), (entry["action"]!.GetValue<string>(), entry["actor"]!.GetValue<string>(), entry["role"]!.GetValue<string>()));
        Assert.Equal(wang.User, entry["data"]!["approvedRequestBy"]!.GetValue<string>());
        Assert.Equal(zhao.TechnicianId, moved["technicianId"]!.GetValue<int>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC11_the_half_day_rule_sets_the_target_and_the_24_hour_cap_stays_the_hard_limit()
    {
        await Policy("gree-dealer-changsha-2012");
        var tuesday = app.Next(DayOfWeek.Tuesday, 9, 50);
        await app.At(tuesday);
        var a = await Repair();
        var b = await Repair();
        var tech = await _given.NewTechnician();
        await app.At(tuesday.AddMinutes(10)); // 10:00
        await Dispatch(a, tech.TechnicianId);
        var orderA = await Order(a);
        Assert.Equal(tuesday.Date.AddHours(18), T(Clock(orderA, "completionTarget")["dueAt"]!).DateTime);
        Assert.Equal(tuesday.AddMinutes(10).AddDays(1), T(Clock(orderA, "completion")["dueAt"]!));
        await OnSite(tech.User, a, tuesday.AddHours(1));

        await app.At(tuesday.AddMinutes(310)); // 15:00
        await Dispatch(b, tech.TechnicianId);
        var orderB = await Order(b);
        Assert.Equal(tuesday.Date.AddDays(1).AddHours(12), T(Clock(orderB, "completionTarget")["dueAt"]!).DateTime);
        Assert.Equal(tuesday.AddMinutes(310).AddDays(1), T(Clock(orderB, "completion")["dueAt"]!));
        await OnSite(tech.User, b, tuesday.AddHours(6));

        await app.At(tuesday.AddMinutes(580)); // 19:30
        (await Act(tech.User, a, "complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        orderA = await Order(a);
        Assert.Equal("breached", Clock(orderA, "completionTarget")["state"]!.GetValue<string>());
        Assert.Equal("met", Clock(orderA, "completion")["state"]!.GetValue<string>());
        Assert.Empty(await Cases(a));

        await app.At(tuesday.AddDays(1).AddMinutes(110)); // Wednesday 11:40
        (await Act(tech.User, b, "complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        orderB = await Order(b);
        Assert.Equal(["met", "met"], new[] { "completionTarget", "completion" }.Select(n => Clock(orderB, n)["state"]!.GetValue<string>()).ToArray());
        await Policy("generic");
    }

    [Theory]
    [InlineData(false, 80)]
    [InlineData(true, 110)]
    public async Task SC12_overdue_orders_are_fined_30_or_80_and_the_third_in_a_month_revokes_eligibility(bool cumulative, int severeFine)
    {
        await Policy("gree-dealer-changsha-2012", new { completion = new { overdueFinesCumulative = cumulative } });
        var start = app.LocalNow.AddDays(40);
        var day = new DateTimeOffset(start.Year, start.Month, 2, 10, 0, 0, TimeSpan.FromHours(8)); // early in a month: every breach falls in it
        await app.At(day.AddMinutes(-10));
        var c = await Repair();
        var d = await Repair();
        var e = await Repair();
        var tech = await _given.NewTechnician();
        await app.At(day);
        foreach (var id in new[] { c, d, e })
        {
            await Dispatch(id, tech.TechnicianId);
            await OnSite(tech.User, id, day.AddHours(1));
        }

        await app.At(day.AddHours(25)); // C: 25 h
        (await Act(tech.User, c, "complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        await app.At(day.AddHours(25.5)); // E: 25.5 h
        (await Act(tech.User, e, "complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        await app.At(day.AddHours(49)); // D: 49 h
        (await Act(tech.User, d, "complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);

        foreach (var (id, amount) in new[] { (c, 30), (e, 30), (d, severeFine) })
        {
            var penalty = Assert.Single(await Cases(id))!;
            Assert.Equal(amount, penalty["amount"]!.GetValue<decimal>());
            Assert.Equal("PEN-89", penalty["ruleId"]!.GetValue<string>());
            Assert.Equal("confirmed", penalty["state"]!.GetValue<string>());
            Assert.Equal(tech.UserId, penalty["personUserId"]!.GetValue<int>());
        }
        var month = $"{day:yyyy-MM}";
        var counter = Assert.Single((await _given.Manager.Get($"/api/sla/eligibility?month={month}&personUserId={tech.UserId}")).Body.AsArray())!;
        Assert.Equal(3, counter["count"]!.GetValue<int>());
        Assert.True(counter["revoked"]!.GetValue<bool>());
        Assert.Equal("CMP-05", counter["ruleId"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC13_a_postponement_approved_before_the_deadline_moves_it_to_the_new_visit_and_a_late_one_does_not()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 10, 0);
        await app.At(monday.AddMinutes(-10));
        var f = await Repair();
        var late = await Repair();
        var tech = await _given.NewTechnician();
        await app.At(monday);
        foreach (var id in new[] { f, late })
        {
            await Dispatch(id, tech.TechnicianId);
            (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);
            (await Act(tech.User, id, "contact", new { outcome = "reached", appointment = new { start = monday.AddHours(5), end = monday.AddHours(7) } })).Expect(HttpStatusCode.OK);
        }
        var thursday14 = monday.AddDays(3).AddHours(4);
        object Postpone() => new { appointment = new { start = thursday14, end = thursday14.AddHours(2) }, reason = "缺配件,客户同意周四上门", customerConsent = true };

        await app.At(monday.AddHours(22)); // Tuesday 08:00, before the deadline
        (await Act(tech.User, f, "reschedule", Postpone())).Expect(HttpStatusCode.OK);
        var completion = Clock(await Order(f), "completion");
        Assert.Equal(thursday14, T(completion["dueAt"]!));
        Assert.Equal(monday.AddHours(22), T(completion["pauses"]![0]!["from"]!));

        await app.At(monday.AddHours(24.5)); // Tuesday 10:30, after the deadline
        (await Act(tech.User, late, "reschedule", Postpone())).Expect(HttpStatusCode.OK);
        Assert.Equal("overdue", Clock(await Order(late), "completion")["state"]!.GetValue<string>());
        Assert.Equal(30, Assert.Single(await Cases(late))!["amount"]!.GetValue<decimal>());
        Assert.Equal(thursday14, T((await Order(late))["appointment"]!["start"]!));

        await app.At(thursday14.AddHours(-1.5));
        (await Act(tech.User, f, "check-in", new { location = new { lat = 28.2, lng = 112.9 } })).Expect(HttpStatusCode.OK);
        await app.At(thursday14.AddHours(-1)); // Thursday 13:00
        (await Act(tech.User, f, "complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        Assert.Equal("met", Clock(await Order(f), "completion")["state"]!.GetValue<string>());
        Assert.Empty(await Cases(f));
        await Policy("generic");
    }

    [Fact]
    public async Task SC13_an_installation_the_customer_postponed_goes_back_to_the_dispatcher_and_its_clocks_start_again_on_redispatch()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 9, 0);
        await app.At(monday);
        var id = await Repair("install");
        var tech = await _given.NewTechnician();
        await Dispatch(id, tech.TechnicianId);
        (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);

        await app.At(monday.AddMinutes(30));
        var resumeOn = DateOnly.FromDateTime(monday.AddDays(4).Date);
        var back = (await Act(tech.User, id, "return-to-dispatcher", new { reason = "客户 06-20 入住,届时再装", resumeOn })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("returned", back["status"]!.GetValue<string>());
        Assert.Null(back["technicianId"]);
        Assert.All(back["clocks"]!.AsArray().Where(c => c!["name"]!.GetValue<string>() is "completion" or "contact" or "completionTarget"),
            c => Assert.Equal("cancelled", c!["state"]!.GetValue<string>()));
        var returned = back["timeline"]!.AsArray().Last()!;
        Assert.Equal("returnedToDispatcher", returned["action"]!.GetValue<string>());
        Assert.Equal(resumeOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), returned["data"]!["resumeOn"]!.GetValue<string>());

        // Days pass while the customer is away: nothing breaches, nobody is fined.
        var friday0830 = monday.AddDays(4).AddMinutes(-30);
        await app.At(friday0830);
        Assert.Empty(await Cases(id));
        Assert.Empty((await _given.Manager.Get($"/api/sla/breaches?workOrderId={id}")).Body["items"]!.AsArray());

        // Re-dispatched on the day at 08:30: a new completion clock runs from then.
        await Dispatch(id, tech.TechnicianId);
        var again = await Order(id);
        var running = again["clocks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "completion" && c["state"]!.GetValue<string>() == "running")!;
        Assert.Equal(friday0830, T(running["startedAt"]!));
        Assert.Equal(friday0830.AddHours(24), T(running["dueAt"]!));

        // A repair is rescheduled instead; and only the assigned technician hands an order back.
        var repair = await Repair();
        await Dispatch(repair, tech.TechnicianId);
        (await Act(tech.User, repair, "return-to-dispatcher", new { reason = "客户要改期" })).Expect(HttpStatusCode.BadRequest);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/return-to-dispatcher", new { reason = "x" })).Expect(HttpStatusCode.Forbidden);
        await Policy("generic");
    }

    [Fact]
    public async Task SC10_an_unregistered_private_job_costs_five_times_its_price_and_with_company_repairs_open_also_the_months_eligibility()
    {
        var today = DateOnly.FromDateTime(app.LocalNow.Date);
        object Finding(int technicianId, decimal amount = 180m) => new { technicianId, day = today, amount, description = "私自为李先生维修净水器,收费180元" };

        // Binchun: PEN-08, five times the price, proposed.
        await Policy("binchun-water-purifier-2015");
        var wang = await _given.NewTechnician();

        // Registered instead: the lead is a normal order in the company's queue, not the technician's until dispatched.
        var lead = (await app.Api(wang.User).Post("/api/work-orders/leads", new
        {
            type = "repair", customer = new { name = "李先生", phone = Given.Phone(), address = "长沙市芙蓉区五一大道 8 号" }, productLine = "purifier",
            productModel = "JS-200", purchaseDate = "2025-03-01", faultDescription = "净水器漏水", note = "邻居介绍",
        })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal("new", lead["status"]!.GetValue<string>());
        Assert.Equal("technicianLead", lead["channel"]!.GetValue<string>());
        Assert.Equal(wang.User, (await _given.Dispatcher.Get($"/api/work-orders/{lead["id"]}")).Body["timeline"]![0]!["actor"]!.GetValue<string>());
        (await app.Api(wang.User).Get($"/api/work-orders/{lead["id"]}")).Expect(HttpStatusCode.NotFound);
        Assert.Contains((await _given.Dispatcher.Get("/api/dispatch/board")).Body["unassigned"]!.AsArray(), o => o!["id"]!.GetValue<long>() == lead["id"]!.GetValue<long>());
        (await _given.Clerk.Post("/api/work-orders/leads", new { })).Expect(HttpStatusCode.Forbidden);
        var binchun = (await _given.Manager.Post("/api/penalty-cases/private-job", Finding(wang.TechnicianId))).Expect(HttpStatusCode.OK).Body;
        var pen08 = Assert.Single(binchun["cases"]!.AsArray())!;
        Assert.Equal("PEN-08", pen08["ruleId"]!.GetValue<string>());
        Assert.Equal(900m, pen08["amount"]!.GetValue<decimal>());
        Assert.Equal("proposed", pen08["state"]!.GetValue<string>());
        Assert.Equal(wang.UserId, pen08["personUserId"]!.GetValue<int>());
        Assert.False(binchun["eligibilityRevoked"]!.GetValue<bool>());

        // Gree, and 孙 had two company repair orders unfinished that day: PEN-08 and PEN-85 (eligibility, 600 CNY subsidy).
        await Policy("gree-dealer-changsha-2012");
        var sun = await _given.NewTechnician();
        var open = new[] { await Repair(), await Repair() };
        foreach (var id in open) await Dispatch(id, sun.TechnicianId);
        var gree = (await _given.Manager.Post("/api/penalty-cases/private-job", Finding(sun.TechnicianId))).Expect(HttpStatusCode.OK).Body;
        var cases = gree["cases"]!.AsArray();
        Assert.Equal(900m, cases.Single(c => c!["ruleId"]!.GetValue<string>() == "PEN-08")!["amount"]!.GetValue<decimal>());
        var pen85 = cases.Single(c => c!["ruleId"]!.GetValue<string>() == "PEN-85")!;
        Assert.Equal(600m, pen85["amount"]!.GetValue<decimal>());
        Assert.Equal("verified", pen85["condition"]!.GetValue<string>());
        Assert.Equal(open, gree["unfinishedCompanyOrders"]!.AsArray().Select(x => x!.GetValue<long>()));
        Assert.True(gree["eligibilityRevoked"]!.GetValue<bool>());
        var counters = (await _given.Manager.Get($"/api/sla/eligibility?month={today:yyyy-MM}&personUserId={sun.UserId}")).Body.AsArray();
        var revoked = counters.Single(c => c!["ruleId"]?.GetValue<string>() == "PEN-85")!;
        Assert.True(revoked["revoked"]!.GetValue<bool>());

        // The manager records a finding on the penalty-cases page too: the same use case.
        var desk = await ConsoleSession.SignIn(app, "manager");
        var page = await desk.Post("/manage/penalties?handler=PrivateJob&state=proposed", [new("technicianId", sun.TechnicianId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("day", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), new("amount", "200"), new("description", "又一次私自维修")]);
        Assert.Contains("私接活已登记", page, StringComparison.Ordinal);
        Assert.Contains((await _given.Manager.Get($"/api/penalty-cases?state=proposed&pageSize=200")).Body["items"]!.AsArray(),
            c => c!["personUserId"]!.GetValue<int>() == sun.UserId && c["ruleId"]!.GetValue<string>() == "PEN-08" && c["amount"]!.GetValue<decimal>() == 1000m);

        // Bad input names the field; only managers record findings.
        var bad = (await _given.Manager.Post("/api/penalty-cases/private-job", Finding(sun.TechnicianId, -5m))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("amount", bad.ErrorFields);
        (await _given.Dispatcher.Post("/api/penalty-cases/private-job", Finding(sun.TechnicianId))).Expect(HttpStatusCode.Forbidden);
        await Policy("generic");
    }

    /// <summary>
    /// An out-of-warranty repair completed now by <paramref name="tech"/>, charging a new main board of the price list (280.00
    /// standard: up to 560.00 under the cap; a part, so charged under ccec's parts-only rule too); full evidence.
    /// </summary>
    private async Task<long> CompletedWithCharge((string User, int TechnicianId, int UserId) tech, decimal charge, DateTimeOffset now)
    {
        var id = await Repair(inWarranty: false);
        await Dispatch(id, tech.TechnicianId);
        // The appointment is agreed ahead of the call (F9): from now, once earlier completions moved the clock past `now`.
        await OnSite(tech.User, id, (now > app.LocalNow ? now : app.LocalNow).AddMinutes(30));
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        body["charges"] = new JsonArray(new JsonObject { ["description"] = "更换主板", ["priceCode"] = "P-AC-BOARD", ["amount"] = charge });
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        (await Act(tech.User, id, "complete", body)).Expect(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task SC24_money_collected_is_due_in_3_days_the_first_miss_is_fined_5_times_and_the_second_opens_a_dismissal_review()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 15, 0);
        await app.At(monday.AddMinutes(-45));
        var li = await _given.NewTechnician();
        var first = await CompletedWithCharge(li, 300.00m, monday);
        var due = T(Clock(await Order(first), "moneyHandIn")["dueAt"]!);
        Assert.Equal(DayOfWeek.Thursday, due.DayOfWeek);
        Assert.Equal(T(Clock(await Order(first), "moneyHandIn")["startedAt"]!).AddDays(3), due);

        await app.At(due);
        var penalty = (await Cases(first)).Single(c => c!["penaltyKey"]!.GetValue<string>() == "collectedFeeNotRemitted")!;
        Assert.Equal(1500.00m, penalty["amount"]!.GetValue<decimal>());
        Assert.Equal("PEN-11", penalty["ruleId"]!.GetValue<string>());
        (await app.Api("tech01").Post($"/api/work-orders/{first}/remittance", new { amount = 300.00m })).Expect(HttpStatusCode.Forbidden);
        (await app.Api("finance").Post($"/api/work-orders/{first}/remittance", new { amount = 299.00m })).Expect(HttpStatusCode.BadRequest);
        (await app.Api("finance").Post($"/api/work-orders/{first}/remittance", new { amount = 300.00m })).Expect(HttpStatusCode.OK);
        Assert.Equal("breached", Clock(await Order(first), "moneyHandIn")["state"]!.GetValue<string>());

        var second = await CompletedWithCharge(li, 120.00m, app.LocalNow);
        await app.At(app.LocalNow.AddDays(3));
        Assert.Equal(0m, (await Cases(second)).Single(c => c!["penaltyKey"]!.GetValue<string>() == "collectedFeeNotRemitted")!["amount"]!.GetValue<decimal>());
        var review = (await _given.Manager.Get("/api/dismissal-reviews?state=open")).Expect(HttpStatusCode.OK).Body.AsArray()
            .Single(r => r!["personUserId"]!.GetValue<int>() == li.UserId)!;
        Assert.Contains("FEE-06", review["ruleIds"]!.GetValue<string>());
        (await _given.Dispatcher.Get("/api/dismissal-reviews")).Expect(HttpStatusCode.Forbidden);
        var decided = (await _given.Manager.Post($"/api/dismissal-reviews/{review["id"]}/decide", new { uphold = false, note = "首次面谈后留用" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("rejected", decided["state"]!.GetValue<string>());
        var again = (await _given.Manager.Post($"/api/dismissal-reviews/{review["id"]}/decide", new { uphold = true, note = "改变主意" })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("辞退审核已是「已留用」，不能再次处理。", again.Str("detail"));
        await Policy("generic");
    }

    [Fact]
    public async Task SC25_old_parts_not_returned_within_3_days_cost_30_and_the_warehouse_stops_the_clock()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 10, 0);
        await app.At(monday);
        var tech = await _given.NewTechnician();
        var late = await CompletedWithCharge(tech, 0m, monday);
        var onTime = await CompletedWithCharge(tech, 0m, monday);
        Assert.Equal(T(Clock(await Order(late), "partsReturn")["startedAt"]!).AddDays(3), T(Clock(await Order(late), "partsReturn")["dueAt"]!));
        await app.At(monday.AddDays(2));
        (await app.Api("warehouse").Post($"/api/work-orders/{onTime}/parts-returned", new { notes = "压缩机继电器已收回" })).Expect(HttpStatusCode.OK);
        (await app.Api("warehouse").Post($"/api/work-orders/{onTime}/parts-returned")).Expect(HttpStatusCode.Conflict);
        await app.At(monday.AddDays(3.1));
        Assert.Equal(30m, (await Cases(late)).Single(c => c!["penaltyKey"]!.GetValue<string>() == "partNotReturned")!["amount"]!.GetValue<decimal>());
        Assert.DoesNotContain(await Cases(onTime), c => c!["penaltyKey"]!.GetValue<string>() == "partNotReturned");
        Assert.Equal("met", Clock(await Order(onTime), "partsReturn")["state"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC25_a_repair_slip_still_missing_after_3_days_costs_30_on_its_own_beside_the_parts_fine()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 10, 0);
        await app.At(monday);
        var tech = await _given.NewTechnician();
        var partsOnly = await CompletedWithCharge(tech, 0m, monday);
        var both = await CompletedWithCharge(tech, 0m, monday);
        var neither = await CompletedWithCharge(tech, 0m, monday);
        var slipOnly = await CompletedWithCharge(tech, 0m, monday);
        var slip = Clock(await Order(neither), "slipHandIn");
        Assert.Equal("PRT-01", slip["ruleId"]!.GetValue<string>());
        Assert.Equal(T(slip["startedAt"]!).AddDays(3), T(slip["dueAt"]!));

        await app.At(monday.AddDays(2));
        (await app.Api("warehouse").Post($"/api/work-orders/{partsOnly}/parts-returned", new { notes = "继电器已收回,维修单未交", withSlip = false })).Expect(HttpStatusCode.OK);
        (await app.Api("warehouse").Post($"/api/work-orders/{both}/parts-returned", new { notes = "继电器与维修单已收回" })).Expect(HttpStatusCode.OK);
        (await app.Api("clerk").Post($"/api/work-orders/{slipOnly}/slip-handed-in", new { notes = "维修单已交" })).Expect(HttpStatusCode.OK);
        (await app.Api("clerk").Post($"/api/work-orders/{slipOnly}/slip-handed-in")).Expect(HttpStatusCode.Conflict);
        (await app.Api("clerk").Post($"/api/work-orders/{both}/slip-handed-in")).Expect(HttpStatusCode.Conflict); // came with the parts
        (await app.Api(tech.User).Post($"/api/work-orders/{partsOnly}/slip-handed-in")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal("running", Clock(await Order(partsOnly), "slipHandIn")["state"]!.GetValue<string>());

        await app.At(monday.AddDays(3.1));
        static string[] Keys(JsonArray cases) => cases.Select(c => c!["penaltyKey"]!.GetValue<string>()).Where(k => k is "slipNotSubmitted" or "partNotReturned").Order().ToArray();
        Assert.Equal(["slipNotSubmitted"], Keys(await Cases(partsOnly)));
        Assert.Empty(Keys(await Cases(both)));
        Assert.Equal(["partNotReturned", "slipNotSubmitted"], Keys(await Cases(neither)));
        Assert.Equal(["partNotReturned"], Keys(await Cases(slipOnly)));
        var fine = (await Cases(partsOnly)).Single(c => c!["penaltyKey"]!.GetValue<string>() == "slipNotSubmitted")!;
        Assert.Equal(30m, fine["amount"]!.GetValue<decimal>());
        Assert.Equal("PEN-02", fine["ruleId"]!.GetValue<string>());
        Assert.Equal(tech.UserId, fine["personUserId"]!.GetValue<int>());
        var breach = (await Breaches(partsOnly)).Single(b => b!["clock"]!.GetValue<string>() == "slipHandIn")!;
        Assert.Equal("technician", breach["responsibleRole"]!.GetValue<string>());
        Assert.Equal("met", Clock(await Order(both), "slipHandIn")["state"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC25_a_brand_fine_on_an_order_whose_returned_part_was_non_genuine_is_borne_in_full_by_the_technician()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 10, 0);
        await app.At(monday);
        var tech = await _given.NewTechnician();
        var fake = await CompletedWithCharge(tech, 0m, monday);
        (await app.Api("warehouse").Post($"/api/work-orders/{fake}/parts-returned", new { notes = "继电器非格力原装", nonGenuine = true })).Expect(HttpStatusCode.OK);

        await app.At(monday.AddDays(10));
        var bad = (await _given.Manager.Post($"/api/work-orders/{fake}/brand-fines", new { amount = -1m, reason = "" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["amount", "reason", "reference"], bad.ErrorFields.Order().ToArray());
        (await _given.Dispatcher.Post($"/api/work-orders/{fake}/brand-fines", new { amount = 500m, reference = "GREE-2024-0611", reason = "旧件非原装" })).Expect(HttpStatusCode.Forbidden);
        var result = (await _given.Manager.Post($"/api/work-orders/{fake}/brand-fines", new { amount = 500m, reference = "GREE-2024-0611", reason = "旧件非原装" })).Expect(HttpStatusCode.OK).Body;
        var penalty = result["case"]!;
        Assert.Equal(500m, penalty["amount"]!.GetValue<decimal>());
        Assert.Equal("nonGenuinePartReturned", penalty["penaltyKey"]!.GetValue<string>());
        Assert.Equal("PEN-91,PRT-03,PEN-78,GOV-07", penalty["ruleIds"]!.GetValue<string>());
        Assert.Equal("confirmed", penalty["state"]!.GetValue<string>());
        Assert.Equal(tech.UserId, penalty["personUserId"]!.GetValue<int>());
        Assert.True(penalty["evidence"]!["nonGenuinePartReturned"]!.GetValue<bool>());
        Assert.True(result["eligibilityRevoked"]!.GetValue<bool>());
        var month = app.LocalNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var counters = (await _given.Manager.Get($"/api/sla/eligibility?month={month}&personUserId={tech.UserId}")).Body.AsArray();
        Assert.Contains(counters, c => c!["ruleId"]?.GetValue<string>() == "EVL-13" && c["revoked"]!.GetValue<bool>());
        Assert.Contains((await Order(fake))["timeline"]!.AsArray(), t => t!["action"]!.GetValue<string>() == "brandFined");
        var ledger = (await app.Api("finance").Get($"/api/pay-ledger?month={month}&personUserId={tech.UserId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        var posted = ledger.Single(e => e!["penaltyCaseId"]!.GetValue<long>() == penalty["id"]!.GetValue<long>())!;
        Assert.Equal(-500m, posted["amount"]!.GetValue<decimal>());
        await Policy("generic");
    }

    [Fact]
    public async Task A_brand_fine_is_passed_to_the_technician_only_as_far_as_the_policy_says()
    {
        await Policy("gree-dealer-changsha-2012");
        var monday = app.Next(DayOfWeek.Monday, 10, 0);
        await app.At(monday);
        var tech = await _given.NewTechnician();
        var genuine = await CompletedWithCharge(tech, 0m, monday);
        var gree = (await app.Api("finance").Post($"/api/work-orders/{genuine}/brand-fines", new { amount = 200m, reference = "GREE-77", reason = "回访不满意" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("brandImposedFine", gree["case"]!["penaltyKey"]!.GetValue<string>());
        Assert.Equal("PEN-78,GOV-07", gree["case"]!["ruleIds"]!.GetValue<string>());
        Assert.Equal(200m, gree["case"]!["amount"]!.GetValue<decimal>());
        Assert.True(gree["eligibilityRevoked"]!.GetValue<bool>());

        // A company that keeps brand fines itself: only a non-genuine part makes the technician bear one (PRT-03).
        await Policy("gree-dealer-changsha-2012", new { brand = new { passThroughBrandFines = false } });
        var kept = await CompletedWithCharge(tech, 0m, app.LocalNow);
        var fake = await CompletedWithCharge(tech, 0m, app.LocalNow);
        (await app.Api("warehouse").Post($"/api/work-orders/{fake}/parts-returned", new { nonGenuine = true })).Expect(HttpStatusCode.OK);
        var company = (await _given.Manager.Post($"/api/work-orders/{kept}/brand-fines", new { amount = 200m, reference = "GREE-78", reason = "厂家抽查" })).Expect(HttpStatusCode.OK).Body;
        Assert.Null(company["case"]);
        Assert.False(company["eligibilityRevoked"]!.GetValue<bool>());
        var borne = (await _given.Manager.Post($"/api/work-orders/{fake}/brand-fines", new { amount = 300m, reference = "GREE-79", reason = "旧件非原装" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("PEN-91,PRT-03", borne["case"]!["ruleIds"]!.GetValue<string>());
        Assert.Equal(300m, borne["case"]!["amount"]!.GetValue<decimal>());
        Assert.False(borne["eligibilityRevoked"]!.GetValue<bool>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC24_ccec_money_falls_due_at_the_technicians_next_office_check_in_and_is_overdue_when_finance_has_not_received_it_but_ccec_states_no_fine()
    {
        await Policy("ccec-water-purifier");
        var monday = app.Next(DayOfWeek.Monday, 15, 0);
        await app.At(monday.AddMinutes(-45));
        var li = await _given.NewTechnician();
        // ccec dispatches only holders of the training pass (TRN-06).
        (await app.Api("supervisor").Post("/api/certificates", new
        {
            technicianId = li.TechnicianId, kind = "trainingPass", number = $"C{Guid.NewGuid():N}"[..10],
            validFrom = app.LocalNow.AddYears(-1).ToString("yyyy-MM-dd"), validTo = app.LocalNow.AddYears(1).ToString("yyyy-MM-dd"),
        })).Expect(HttpStatusCode.Created);
        var paid = await CompletedWithCharge(li, 300.00m, monday);
        var kept = await CompletedWithCharge(li, 300.00m, app.LocalNow);
        var waiting = Clock(await Order(paid), "moneyHandIn");
        Assert.Equal("running", waiting["state"]!.GetValue<string>());
        Assert.Null(waiting["dueAt"]);

        await app.At(monday.AddDays(4)); // days in the field: nothing is due before the technician comes back
        Assert.DoesNotContain(await Breaches(paid), b => b!["clock"]!.GetValue<string>() == "moneyHandIn");
        (await app.Api(li.User).Post("/api/attendance/office-check-ins", new { technicianId = li.TechnicianId + 100000 })).Expect(HttpStatusCode.Forbidden);
        var checkIn = (await app.Api(li.User).Post("/api/attendance/office-check-ins")).Expect(HttpStatusCode.Created).Body;
        var due = checkIn["moneyDue"]!.AsArray();
        Assert.Equal([paid, kept], due.Select(d => d!["workOrderId"]!.GetValue<long>()).Order().ToArray());
        Assert.All(due, d => Assert.Equal(300.00m, d!["amount"]!.GetValue<decimal>()));
        Assert.Equal(app.LocalNow.AddMinutes(30), T(due[0]!["dueAt"]!));
        Assert.Equal(app.LocalNow.AddMinutes(30), T(Clock(await Order(paid), "moneyHandIn")["dueAt"]!));

        await app.At(app.LocalNow.AddMinutes(10));
        (await app.Api("finance").Post($"/api/work-orders/{paid}/remittance", new { amount = 300.00m })).Expect(HttpStatusCode.OK);
        await app.At(app.LocalNow.AddMinutes(25));
        Assert.Equal("met", Clock(await Order(paid), "moneyHandIn")["state"]!.GetValue<string>());
        Assert.DoesNotContain(await Cases(paid), c => c!["penaltyKey"]!.GetValue<string>() == "collectedFeeNotRemitted");
        // The money not received is overdue (FEE-07), but ccec's regulation (第4篇) names no fine: Gree's PEN-11 is not
        // inherited (regulations.md A12), so no case is proposed.
        Assert.Equal("overdue", Clock(await Order(kept), "moneyHandIn")["state"]!.GetValue<string>());
        Assert.Contains(await Breaches(kept), b => b!["clock"]!.GetValue<string>() == "moneyHandIn");
        Assert.Empty(await Cases(kept));

        // The office may record the arrival for the technician; the list is attendance evidence, a technician reads only their own.
        var byDesk = (await _given.Clerk.Post("/api/attendance/office-check-ins", new { technicianId = li.TechnicianId })).Expect(HttpStatusCode.Created).Body;
        Assert.Empty(byDesk["moneyDue"]!.AsArray());
        Assert.Equal("clerk", byDesk["recordedBy"]!.GetValue<string>());
        var mine = (await app.Api(li.User).Get("/api/attendance/office-check-ins")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Equal(2, mine.Count);
        Assert.DoesNotContain((await app.Api("tech01").Get("/api/attendance/office-check-ins")).Body["items"]!.AsArray(), c => c!["technicianUserId"]!.GetValue<int>() == li.UserId);
        (await app.Api("warehouse").Post("/api/attendance/office-check-ins", new { technicianId = li.TechnicianId })).Expect(HttpStatusCode.Forbidden);
        await Policy("generic");
    }

    [Fact]
    public async Task An_order_is_judged_by_the_policy_in_force_when_it_was_created()
    {
        var t0 = app.Next(DayOfWeek.Wednesday, 10, 0);
        await app.At(t0);
        var before = await Repair();
        await Policy("generic", new { intake = new { infoDispatchWithinMinutes = 60 } });
        var after = await Repair();
        Assert.Equal(t0.AddMinutes(30), T(Clock(await Order(before), "dispatch")["dueAt"]!));
        Assert.Equal(t0.AddMinutes(60), T(Clock(await Order(after), "dispatch")["dueAt"]!));
        await Policy("generic");
    }

    [Fact]
    public async Task A_branch_calendar_holiday_moves_a_working_time_deadline_past_it()
    {
        var friday = app.Next(DayOfWeek.Friday, 17, 55);
        var branch = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var monday = DateOnly.FromDateTime(friday.Date.AddDays(3));
        (await _given.Manager.Put($"/api/branches/{branch}/calendar", new
        {
            workStart = "09:00", workEnd = "18:00", lunchStart = "12:00", lunchEnd = "13:30", workingDays = new[] { 1, 2, 3, 4, 5 },
            holidays = new[] { monday }, extraWorkingDays = Array.Empty<DateOnly>(),
        })).Expect(HttpStatusCode.OK);
        try
        {
            await app.At(friday);
            var id = await Repair();
            Assert.Equal(friday.AddDays(4).AddHours(-8).AddMinutes(-30), T(Clock(await Order(id), "dispatch")["dueAt"]!)); // Tuesday 09:25
        }
        finally
        {
            (await _given.Manager.Put($"/api/branches/{branch}/calendar", new
            {
                workStart = "09:00", workEnd = "18:00", lunchStart = "12:00", lunchEnd = "13:30", workingDays = new[] { 1, 2, 3, 4, 5, 6 },
            })).Expect(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Two_timers_racing_over_the_same_due_clocks_record_each_breach_once()
    {
        var t0 = app.Next(DayOfWeek.Thursday, 10, 0);
        await app.At(t0);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++) ids.Add(await Repair());
        app.Clock.SetUtcNow(t0.AddMinutes(31).ToUniversalTime());
        var timer = app.Factory.Services.GetServices<Fieldline.Web.Infrastructure.Clock.IDueWork>().OfType<Fieldline.Web.Features.Sla.SlaTimer>().Single();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            try { await timer.RunDueAsync(default); }
            catch (DbUpdateException) { } // the loser of a race on the unique index rolls back its batch
        })));
        await app.Tick();
        foreach (var id in ids) Assert.Single(await Breaches(id));
    }

    [Fact]
    public async Task A_proposed_penalty_case_is_confirmed_or_dismissed_once_by_a_manager()
    {
        await Policy("gree-dealer-changsha-2012");
        var t0 = app.Next(DayOfWeek.Monday, 10, 0);
        await app.At(t0.AddMinutes(-5));
        var id = await Repair();
        var tech = await _given.NewTechnician();
        await app.At(t0);
        await Dispatch(id, tech.TechnicianId);
        await app.At(t0.AddHours(24));
        var penalty = Assert.Single(await Cases(id))!;
        Assert.Equal("proposed", penalty["state"]!.GetValue<string>());
        (await _given.Dispatcher.Post($"/api/penalty-cases/{penalty["id"]}/dismiss", new { reason = "x" })).Expect(HttpStatusCode.Forbidden);
        (await _given.Manager.Post($"/api/penalty-cases/{penalty["id"]}/dismiss", new { })).Expect(HttpStatusCode.BadRequest);
        var dismissed = (await _given.Manager.Post($"/api/penalty-cases/{penalty["id"]}/dismiss", new { reason = "客户原因,经核实" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("dismissed", dismissed["state"]!.GetValue<string>());
        (await _given.Manager.Post($"/api/penalty-cases/{penalty["id"]}/confirm")).Expect(HttpStatusCode.Conflict);
        var mine = (await app.Api(tech.User).Get("/api/penalty-cases?mine=true")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(1, mine["total"]!.GetValue<int>());
        await Policy("generic");
    }
}
