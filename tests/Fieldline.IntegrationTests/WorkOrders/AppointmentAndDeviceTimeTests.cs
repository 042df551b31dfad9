using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class AppointmentAndDeviceTimeTestsOnSqlite(SqliteFixture app) : AppointmentAndDeviceTimeTests(app);
[Collection(PostgresCollection.Name)] public sealed class AppointmentAndDeviceTimeTestsOnPostgres(PostgresFixture app) : AppointmentAndDeviceTimeTests(app);

/// <summary>
/// An appointment being agreed lies ahead of the moment it is agreed (DSP-09, CMP-03), and the phone's clock
/// (X-Device-Time) is believed only where it can be true (CMP-09's test run, SC-14) — without breaking a day worked offline.
/// </summary>
public abstract class AppointmentAndDeviceTimeTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string Iso(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private async Task<JsonNode> Order(long id) => (await _given.Manager.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;

    private static JsonNode? Clock(JsonNode order, string name) => order["clocks"]!.AsArray().LastOrDefault(c => c!["name"]!.GetValue<string>() == name);

    /// <summary>A new repair dispatched to a new technician (their counters are this test's own).</summary>
    private async Task<(long Id, Api Tech)> Dispatched()
    {
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var who = await _given.NewTechnician();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.OK);
        return (id, app.Api(who.User));
    }

    private async Task<(long Id, Api Tech)> Accepted()
    {
        var (id, tech) = await Dispatched();
        (await tech.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        return (id, tech);
    }

    private async Task<(long Id, Api Tech)> Scheduled()
    {
        var (id, tech) = await Accepted();
        var at = app.LocalNow.AddHours(2);
        (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        return (id, tech);
    }

    private static object Reached(DateTimeOffset start) => new { outcome = "reached", appointment = new { start, end = start.AddHours(2) } };

    private static object Moved(DateTimeOffset start) => new { appointment = new { start, end = start.AddHours(2) }, reason = "客户改期", customerConsent = true };

    private static object CompleteBody(int testRunMinutes)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        body["testRunMinutes"] = testRunMinutes;
        return body;
    }

    [Fact]
    public async Task A_contact_with_an_appointment_before_the_order_existed_is_refused_naming_appointment_start_and_changes_nothing()
    {
        var (id, tech) = await Accepted();
        var before = await Order(id);

        var refused = (await tech.Post($"/api/work-orders/{id}/contact", Reached(app.LocalNow.AddDays(-16)))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["appointment.start"], refused.ErrorFields);
        Assert.Equal("预约开始不能早于现在：预约只能约定尚未到来的时间。", refused.Body["errors"]!["appointment.start"]![0]!.GetValue<string>());
        var english = (await tech.InLanguage("en").Post($"/api/work-orders/{id}/contact", Reached(app.LocalNow.AddHours(-1)))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("cannot be in the past", english.Body["errors"]!["appointment.start"]![0]!.GetValue<string>());

        var after = await Order(id);
        Assert.Equal("accepted", after["status"]!.GetValue<string>());
        Assert.Equal(before["version"]!.GetValue<int>(), after["version"]!.GetValue<int>());
        Assert.Equal(before["timeline"]!.AsArray().Count, after["timeline"]!.AsArray().Count);
        Assert.Null(Clock(after, "visit"));

        // Agreed for later, the same call is taken and the on-time visit is measured (DSP-09).
        var later = app.LocalNow.AddHours(3);
        (await tech.Post($"/api/work-orders/{id}/contact", Reached(later))).Expect(HttpStatusCode.OK);
        Assert.Equal(later.AddHours(2), Clock(await Order(id), "visit")!["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_contact_queued_offline_keeps_an_appointment_that_began_before_it_arrived_but_not_when_the_phone_stamped_it_before_the_dispatch()
    {
        var (id, tech) = await Accepted();
        var made = app.Clock.GetUtcNow();
        var afternoon = made.AddHours(1); // "this afternoon", agreed on the phone without network
        var stamped = tech.With("X-Device-Time", Iso(made)).With("X-Device-Sent-Time", Iso(made.AddHours(3)));
        var (other, otherTech) = await Accepted();
        app.Clock.Advance(TimeSpan.FromHours(3)); // the network comes back when the appointment has begun

        var order = (await stamped.Post($"/api/work-orders/{id}/contact", Reached(afternoon))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("scheduled", order["status"]!.GetValue<string>());

        // A stamp from before the order reached the phone proves nothing: the appointment is judged at the receipt.
        var forged = otherTech.With("X-Device-Time", Iso(made.AddHours(-5))).With("X-Device-Sent-Time", Iso(made.AddHours(3)));
        var refused = (await forged.Post($"/api/work-orders/{other}/contact", Reached(afternoon))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["appointment.start"], refused.ErrorFields);
    }

    [Fact]
    public async Task A_reschedule_to_an_appointment_in_the_past_is_refused_for_technician_and_dispatcher_and_leaves_order_and_completion_clock_as_they_were()
    {
        var (id, tech) = await Scheduled();
        var before = await Order(id);
        var past = app.LocalNow.AddDays(-15);

        foreach (var caller in new[] { tech, _given.Dispatcher })
        {
            var refused = (await caller.Post($"/api/work-orders/{id}/reschedule", Moved(past))).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["appointment.start"], refused.ErrorFields);
        }

        await app.At(app.LocalNow.AddMinutes(1)); // the timer runs: nothing is overdue
        var after = await Order(id);
        Assert.Equal(before["version"]!.GetValue<int>(), after["version"]!.GetValue<int>());
        Assert.Equal(before["appointment"]!.ToJsonString(), after["appointment"]!.ToJsonString());
        Assert.Equal(Clock(before, "completion")!["dueAt"]!.GetValue<DateTimeOffset>(), Clock(after, "completion")!["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("running", Clock(after, "completion")!["state"]!.GetValue<string>());
        Assert.Empty((await _given.Manager.Get($"/api/penalty-cases?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
    }

    [Fact]
    public async Task A_check_in_stamped_three_hours_before_the_order_existed_proves_no_time_on_site_so_a_45_minute_test_run_a_second_later_is_refused()
    {
        var (id, tech) = await Scheduled();
        var now = app.Clock.GetUtcNow();
        (await tech.With("X-Device-Time", Iso(now.AddHours(-3))).Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } }))
            .Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        var refused = (await tech.With("X-Device-Time", Iso(now.AddHours(-2))).Post($"/api/work-orders/{id}/complete", CompleteBody(45))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("testRunMinutes", refused.ErrorFields);
        // Claiming the phone's clock is three hours slow moves the check-in, but not before the step it followed.
        var slow = tech.With("X-Device-Time", Iso(now.AddHours(-2))).With("X-Device-Sent-Time", Iso(now.AddHours(-2)));
        Assert.Contains("testRunMinutes", (await slow.Post($"/api/work-orders/{id}/complete", CompleteBody(45))).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal("inProgress", (await Order(id))["status"]!.GetValue<string>());
        // The phone's claim stays on the timeline as what it said; it just proves nothing.
        var checkIn = (await Order(id))["timeline"]!.AsArray().Single(e => e!["action"]!.GetValue<string>() == "checkedIn")!;
        Assert.Equal(now.AddHours(-3), checkIn["deviceAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_visit_worked_offline_and_sent_80_minutes_later_from_a_phone_whose_clock_is_90_minutes_slow_proves_its_35_minute_test_run()
    {
        var (id, tech) = await Dispatched();
        var t0 = app.Clock.GetUtcNow();
        DateTimeOffset Phone(DateTimeOffset t) => t.AddMinutes(-90);
        var sentAt = t0.AddMinutes(80);
        Api At(DateTimeOffset t) => tech.With("X-Device-Time", Iso(Phone(t))).With("X-Device-Sent-Time", Iso(Phone(sentAt)));
        app.Clock.Advance(TimeSpan.FromMinutes(80));

        (await At(t0.AddMinutes(1)).Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        // Agreed for ten minutes after the call: begun by the time it arrives, ahead when it was made.
        (await At(t0.AddMinutes(2)).Post($"/api/work-orders/{id}/contact", Reached(t0.AddMinutes(10)))).Expect(HttpStatusCode.OK);
        (await At(t0.AddMinutes(5)).Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        var done = (await At(t0.AddMinutes(45)).Post($"/api/work-orders/{id}/complete", CompleteBody(35))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(35, done["testRunMinutes"]!.GetValue<int>());
    }
}
