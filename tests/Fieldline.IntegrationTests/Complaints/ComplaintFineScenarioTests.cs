using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Complaints;

[Collection(SqliteCollection.Name)] public sealed class ComplaintFineScenarioTestsOnSqlite(SqliteFixture app) : ComplaintFineScenarioTests(app);
[Collection(PostgresCollection.Name)] public sealed class ComplaintFineScenarioTestsOnPostgres(PostgresFixture app) : ComplaintFineScenarioTests(app);

/// <summary>
/// The complaint-conditioned fines of spec/scenarios.md (SC-05, SC-06, SC-07): a late-contact complaint about an order that
/// missed its contact deadline proposes PEN-13 / PEN-88 from the order's policy; verification confirms, rejection dismisses.
/// </summary>
public abstract class ComplaintFineScenarioTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Handler => app.Api("complaints");

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<long> Order(string type = "repair")
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var body = type == "repair" ? Given.RepairBody(customer, serial) : new { type, channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "安装" };
        return (await _given.Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.Created).Id;
    }

    private Task<Reply> Act(string user, long id, string action, object? body = null) => app.Api(user).Post($"/api/work-orders/{id}/{action}", body ?? new { });

    private async Task<(string User, int TechnicianId, int UserId)> DispatchedAndAccepted(long id)
    {
        var tech = await _given.NewTechnician();
        (await Act("dispatcher", id, "dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);
        return tech;
    }

    private async Task Contact(string tech, long id, DateTimeOffset appointment) =>
        (await Act(tech, id, "contact", new { outcome = "reached", appointment = new { start = appointment, end = appointment.AddHours(2) } })).Expect(HttpStatusCode.OK);

    private async Task<JsonNode> LateContactComplaint(long orderId, string? level = null, string type = "lateContact") =>
        (await Handler.Post("/api/complaints", new { type, level, channel = level == "brand" ? "brand" : "hotline", workOrderId = orderId, description = "派工后一直没人联系我" }))
            .Expect(HttpStatusCode.Created).Body;

    private async Task<JsonArray> Cases(long orderId) =>
        (await _given.Manager.Get($"/api/penalty-cases?workOrderId={orderId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    [Fact]
    public async Task SC05_a_complaint_the_next_day_about_the_late_installer_proposes_PEN13_30_linked_to_it_and_verification_confirms_it()
    {
        await Policy("binchun-water-purifier-2015");
        var day = app.Next(DayOfWeek.Wednesday, 13, 50);
        await app.At(day);
        var id = await Order("install");
        await app.At(day.AddMinutes(10)); // 14:00
        var tech = await DispatchedAndAccepted(id);
        await app.At(day.AddMinutes(160)); // 16:30, half an hour after the 2-hour contact deadline
        await Contact(tech.User, id, day.AddDays(1));
        Assert.Empty(await Cases(id)); // overdue from 16:00, but no complaint yet

        await app.At(day.AddDays(1).AddMinutes(-230)); // Thursday 10:00
        var complaint = await LateContactComplaint(id);
        var proposed = Assert.Single(complaint["penaltyCases"]!.AsArray())!;
        Assert.Equal(("PEN-13", 30m, "customerComplaint", "proposed"), (proposed["ruleId"]!.GetValue<string>(), proposed["amount"]!.GetValue<decimal>(),
            proposed["condition"]!.GetValue<string>(), proposed["state"]!.GetValue<string>()));
        Assert.Equal(complaint["id"]!.GetValue<long>(), proposed["complaintId"]!.GetValue<long>());
        Assert.Equal(tech.UserId, proposed["personUserId"]!.GetValue<int>());
        // The technician sees his proposed fine, but not the open complaint's text.
        var mine = Assert.Single((await app.Api(tech.User).Get("/api/penalty-cases?mine=true")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
        Assert.Equal("lateContact", mine["evidence"]!["complaint"]!["type"]!.GetValue<string>());
        Assert.Null(mine["evidence"]!["complaint"]!["description"]);
        (await app.Api(tech.User).Get($"/api/complaints/{complaint["id"]}")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(("contact", 30d), (proposed["evidence"]!["clock"]!.GetValue<string>(), proposed["evidence"]!["lateMinutes"]!.GetValue<double>()));
        Assert.NotNull(proposed["breachId"]);
        Assert.Contains("PEN-13", complaint["fineNote"]!.GetValue<string>());
        var listed = Assert.Single(await Cases(id))!;
        Assert.Equal(complaint["id"]!.GetValue<long>(), listed["complaintId"]!.GetValue<long>());

        // The fine waits for the complaint: a manager cannot confirm it ahead of the verification (CPL-20).
        (await _given.Manager.Post($"/api/penalty-cases/{listed["id"]}/confirm")).Expect(HttpStatusCode.Conflict);
        var verified = (await Handler.Post($"/api/complaints/{complaint["id"]}/verify", new { note = "通话记录核实:16:30 才首次联系" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("verified", verified["status"]!.GetValue<string>());
        var confirmed = Assert.Single(verified["penaltyCases"]!.AsArray())!;
        Assert.Equal(("confirmed", "complaints"), (confirmed["state"]!.GetValue<string>(), confirmed["decidedBy"]!.GetValue<string>()));
        Assert.Equal("confirmed", Assert.Single(await Cases(id))!["state"]!.GetValue<string>());
        await Policy("generic");
    }

    [Theory]
    [InlineData("brand", 200)]
    [InlineData("company", 30)]
    public async Task SC06_a_complaint_after_the_4_hour_repair_contact_threshold_proposes_PEN88_by_the_level_it_reached(string level, int amount)
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Thursday, 9, 0);
        await app.At(nine.AddMinutes(-5));
        var id = await Order();
        await app.At(nine);
        var tech = await DispatchedAndAccepted(id);
        await app.At(nine.AddHours(4.5)); // 13:30, past the 4-hour threshold at 13:00
        await Contact(tech.User, id, nine.AddHours(6));
        await app.At(nine.AddHours(5));
        var complaint = await LateContactComplaint(id, level);
        var proposed = Assert.Single(complaint["penaltyCases"]!.AsArray())!;
        Assert.Equal(("PEN-88", (decimal)amount), (proposed["ruleId"]!.GetValue<string>(), proposed["amount"]!.GetValue<decimal>()));
        Assert.Equal(("contactLimit", level), (proposed["evidence"]!["clock"]!.GetValue<string>(), proposed["evidence"]!["complaint"]!["level"]!.GetValue<string>()));
        Assert.Equal(level, complaint["level"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC06_without_a_missed_deadline_a_late_contact_complaint_is_only_a_complaint()
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Thursday, 9, 0);
        await app.At(nine.AddMinutes(-5));
        var id = await Order();
        await app.At(nine);
        var tech = await DispatchedAndAccepted(id);
        await app.At(nine.AddHours(1)); // the 20-minute target is missed, the 4-hour threshold is not
        await Contact(tech.User, id, nine.AddHours(3));
        var complaint = await LateContactComplaint(id, "brand");
        Assert.Empty(complaint["penaltyCases"]!.AsArray());
        Assert.Contains("没有超过联系时限", complaint["fineNote"]!.GetValue<string>());
        Assert.Empty(await Cases(id));
        await Policy("generic");
    }

    [Fact]
    public async Task A_complaint_of_another_type_about_a_late_order_proposes_no_contact_fine()
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Thursday, 9, 0);
        await app.At(nine.AddMinutes(-5));
        var id = await Order();
        await app.At(nine);
        await DispatchedAndAccepted(id);
        await app.At(nine.AddHours(5));
        var complaint = await LateContactComplaint(id, "brand", type: "productQualityOrFunction");
        Assert.Empty(complaint["penaltyCases"]!.AsArray());
        Assert.Empty(await Cases(id));
        await Policy("generic");
    }

    [Fact]
    public async Task Rejecting_the_complaint_dismisses_its_proposed_fine_and_a_second_complaint_adds_no_second_fine()
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Friday, 9, 0);
        await app.At(nine.AddMinutes(-5));
        var id = await Order();
        await app.At(nine);
        await DispatchedAndAccepted(id);
        await app.At(nine.AddHours(4).AddMinutes(1)); // still not contacted: the complaint comes in while the order is overdue
        var first = await LateContactComplaint(id);
        var proposed = Assert.Single(first["penaltyCases"]!.AsArray())!;
        Assert.Equal(("PEN-88", 30m), (proposed["ruleId"]!.GetValue<string>(), proposed["amount"]!.GetValue<decimal>()));
        Assert.Null(proposed["evidence"]!["contactedAt"]?.GetValue<DateTimeOffset?>());

        var second = await LateContactComplaint(id, type: "noVisit");
        Assert.Empty(second["penaltyCases"]!.AsArray());
        Assert.Contains("每个超时只罚一次", second["fineNote"]!.GetValue<string>());

        var rejected = (await Handler.Post($"/api/complaints/{first["id"]}/reject", new { reason = "客户记错了日期" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        var dismissed = Assert.Single(await Cases(id))!;
        Assert.Equal("dismissed", dismissed["state"]!.GetValue<string>());
        Assert.Contains("客户记错了日期", dismissed["decisionNote"]!.GetValue<string>());
        await Policy("generic");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SC07_a_late_contact_complaint_after_the_dispatcher_confirmed_the_customer_unreachable_proposes_no_fine(bool dispatcherReachesCustomer)
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Friday, 9, 0);
        await app.At(nine.AddMinutes(-10));
        var id = await Order();
        await app.At(nine);
        var tech = await DispatchedAndAccepted(id);
        foreach (var minutes in new[] { 5, 40, 90 })
        {
            await app.At(nine.AddMinutes(minutes));
            (await Act(tech.User, id, "contact", new { outcome = "unreachable" })).Expect(HttpStatusCode.OK);
        }
        await app.At(nine.AddMinutes(95)); // 10:35
        (await Act("dispatcher", id, "confirm-unreachable", new { reached = dispatcherReachesCustomer })).Expect(HttpStatusCode.OK);
        await app.At(nine.AddHours(5));
        var complaint = await LateContactComplaint(id, "brand");
        if (dispatcherReachesCustomer)
        {
            // The technician's claim was false: no exemption, the normal rule applies.
            Assert.Equal(200m, Assert.Single(complaint["penaltyCases"]!.AsArray())!["amount"]!.GetValue<decimal>());
        }
        else
        {
            Assert.Empty(complaint["penaltyCases"]!.AsArray());
            Assert.Contains("DSP-08", complaint["fineNote"]!.GetValue<string>());
            Assert.Contains("10:35", complaint["fineNote"]!.GetValue<string>());
            Assert.Empty(await Cases(id));
        }
        await Policy("generic");
    }

    [Fact]
    public async Task SC07_edge_a_technician_who_first_tried_after_the_deadline_is_not_excused_by_a_later_unreachable_confirmation()
    {
        await Policy("gree-dealer-changsha-2012");
        var nine = app.Next(DayOfWeek.Friday, 9, 0);
        await app.At(nine.AddMinutes(-10));
        var id = await Order();
        await app.At(nine);
        var tech = await DispatchedAndAccepted(id);
        await app.At(nine.AddHours(4.5)); // first call at 13:30, after the 13:00 threshold
        (await Act(tech.User, id, "contact", new { outcome = "unreachable" })).Expect(HttpStatusCode.OK);
        await app.At(nine.AddHours(4.75));
        (await Act("dispatcher", id, "confirm-unreachable", new { reached = false })).Expect(HttpStatusCode.OK);
        await app.At(nine.AddHours(6));
        var complaint = await LateContactComplaint(id);
        Assert.Equal("PEN-88", Assert.Single(complaint["penaltyCases"]!.AsArray())!["ruleId"]!.GetValue<string>());
        await Policy("generic");
    }
}
