using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Sla;

[Collection(SqliteCollection.Name)] public sealed class DeadlineBoundsTestsOnSqlite(SqliteFixture app) : DeadlineBoundsTests(app);
[Collection(PostgresCollection.Name)] public sealed class DeadlineBoundsTestsOnPostgres(PostgresFixture app) : DeadlineBoundsTests(app);

/// <summary>
/// The bounds every completion deadline keeps (CMP-01..04, SC-11, SC-13): the half-day target never lies after the 24-hour
/// hard due, and a new appointment never sets a due time that has already passed.
/// </summary>
public abstract class DeadlineBoundsTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<long> Repair()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        return (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Id;
    }

    private async Task<JsonNode> Order(long id) => (await _given.Manager.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;

    private static JsonNode Clock(JsonNode order, string name) => order["clocks"]!.AsArray().Last(c => c!["name"]!.GetValue<string>() == name)!;

    private static DateTimeOffset T(JsonNode node) => node.GetValue<DateTimeOffset>();

    private Task<Reply> Act(string user, long id, string action, object? body = null) => app.Api(user).Post($"/api/work-orders/{id}/{action}", body ?? new { });

    [Fact]
    public async Task A_repair_dispatched_on_a_saturday_evening_has_its_half_day_target_at_the_24_hour_hard_due_not_on_monday_noon()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var saturday = app.Next(DayOfWeek.Saturday, 22, 0);
            await app.At(saturday.AddMinutes(-10));
            var id = await Repair();
            var tech = await _given.NewTechnician();
            await app.At(saturday);
            (await Act("dispatcher", id, "dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);

            var order = await Order(id);
            var hard = T(Clock(order, "completion")["dueAt"]!);
            Assert.Equal(saturday.AddDays(1), hard); // Sunday 22:00
            // The half-day rule alone would say the next working day's noon (Monday 12:00), 14 hours after the hard due.
            Assert.Equal(hard, T(Clock(order, "completionTarget")["dueAt"]!));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task A_new_appointment_before_the_completion_deadline_leaves_the_deadline_where_it_was_and_never_makes_the_order_overdue_at_once()
    {
        var id = await Repair();
        var tech = await _given.NewTechnician();
        (await Act("dispatcher", id, "dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        (await Act(tech.User, id, "accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddHours(2);
        (await Act(tech.User, id, "contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        var due = T(Clock(await Order(id), "completion")["dueAt"]!);

        // "Come now": the customer is at the door a few minutes early (within the tolerance of an appointment being agreed).
        var now = app.LocalNow.AddMinutes(-3);
        (await Act(tech.User, id, "reschedule", new { appointment = new { start = now, end = now.AddHours(1) }, reason = "客户提前在家", customerConsent = true }))
            .Expect(HttpStatusCode.OK);
        await app.At(app.LocalNow.AddMinutes(1));
        var completion = Clock(await Order(id), "completion");
        Assert.Equal(due, T(completion["dueAt"]!));
        Assert.Equal("running", completion["state"]!.GetValue<string>());
        Assert.Empty((await _given.Manager.Get($"/api/sla/breaches?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
    }
}
