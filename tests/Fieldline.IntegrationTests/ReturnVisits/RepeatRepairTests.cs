using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.ReturnVisits;

[Collection(SqliteCollection.Name)] public sealed class RepeatRepairTestsOnSqlite(SqliteFixture app) : RepeatRepairTests(app);
[Collection(PostgresCollection.Name)] public sealed class RepeatRepairTestsOnPostgres(PostgresFixture app) : RepeatRepairTests(app);

/// <summary>返修 (SC-22, PEN-86): a repair of a unit repaired for the same fault within the policy's window links to that repair.</summary>
public abstract class RepeatRepairTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<long> Create(long customer, string serial, string fault) =>
        (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, fault))).Expect(HttpStatusCode.Created).Id;

    private async Task Complete(long id, (string User, int TechnicianId, int UserId) tech)
    {
        var t = app.Api(tech.User);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddHours(1);
        (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        (await t.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC22_the_same_fault_again_within_30_days_links_to_the_first_repair_and_its_completion_proposes_PEN86_100_against_the_first_technician()
    {
        var li = await _given.NewTechnician();
        var other = await _given.NewTechnician();
        var customer = await _given.Customer();
        var unit = await _given.Product(customer);
        var second = await _given.Product(customer);
        var first = await Create(customer, unit, "不制冷");
        await Complete(first, li);
        var late = await Create(customer, second, "不制冷");
        await Complete(late, li);

        await app.At(app.LocalNow.AddDays(17));
        var repeat = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, unit, "不制冷"))).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(first, repeat["repeatOf"]!.GetValue<long>());
        var differentFault = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, unit, "漏水"))).Expect(HttpStatusCode.Created).Body;
        Assert.Null(differentFault["repeatOf"]);
        var markedSame = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = unit, faultDescription = "还是不凉", sameFault = true,
        })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(first, markedSame["repeatOf"]!.GetValue<long>());

        await Complete(repeat["id"]!.GetValue<long>(), other);
        var cases = (await _given.Manager.Get($"/api/penalty-cases?workOrderId={repeat["id"]}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        var fine = Assert.Single(cases)!;
        Assert.Equal(("PEN-86", 100m, "proposed", li.UserId), (fine["ruleId"]!.GetValue<string>(), fine["amount"]!.GetValue<decimal>(), fine["state"]!.GetValue<string>(),
            fine["personUserId"]!.GetValue<int>()));

        // 45 days after its repair the same report is a new fault, not a repeat.
        await app.At(app.LocalNow.AddDays(28));
        Assert.Null((await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, second, "不制冷"))).Expect(HttpStatusCode.Created).Body["repeatOf"]);
    }
}
