using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Dispatch;

[Collection(SqliteCollection.Name)] public sealed class DispatchPlanTestsOnSqlite(SqliteFixture app) : DispatchPlanTests(app);
[Collection(PostgresCollection.Name)] public sealed class DispatchPlanTestsOnPostgres(PostgresFixture app) : DispatchPlanTests(app);

public abstract class DispatchPlanTests(AppFixture app)
{
    private readonly Given _given = new(app);

    /// <summary>A repair order for tomorrow 10:00–12:00 at a point in Changsha.</summary>
    private async Task<long> OrderTomorrow(DateOnly day, double lat, double lng, string line = "ac")
    {
        var start = new DateTimeOffset(day.Year, day.Month, day.Day, 10, 0, 0, TimeSpan.FromHours(8));
        var customer = (await _given.Clerk.Post("/api/customers", new { name = "计划客户", phone = Given.Phone(), address = "长沙市", location = new { lat, lng } })).Expect(HttpStatusCode.Created).Id;
        var serial = await _given.Product(customer, line);
        return (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "不制冷",
            requestedWindow = new { start, end = start.AddHours(2) },
        })).Expect(HttpStatusCode.Created).Id;
    }

    private async Task<Dictionary<int, JsonNode>> Technicians() =>
        (await _given.AllTechnicians()).ToDictionary(t => t["id"]!.GetValue<int>(), t => t);

    [Fact]
    public async Task Plan_the_day_gives_every_order_a_qualified_technician_and_keeps_pinned_assignments()
    {
        var day = DateOnly.FromDateTime(app.LocalNow.Date.AddDays(1));
        var ids = new List<long>();
        for (var i = 0; i < 4; i++) ids.Add(await OrderTomorrow(day, 28.19 + i * 0.01, 112.95 - i * 0.01, i % 2 == 0 ? "ac" : "purifier"));
        var tech02 = await _given.TechnicianId("tech02");
        (await _given.Dispatcher.Post($"/api/work-orders/{ids[0]}/dispatch", new { technicianId = tech02 })).Expect(HttpStatusCode.OK);

        var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = day.ToString("yyyy-MM-dd"), seconds = 0.5 })).Expect(HttpStatusCode.OK).Body;
        var techs = await Technicians();
        var stops = plan["routes"]!.AsArray().SelectMany(r => r!["stops"]!.AsArray().Select(s => (Tech: r["technicianId"]!.GetValue<int>(), Stop: s!))).ToList();
        foreach (var id in ids) Assert.Contains(stops, s => s.Stop["workOrderId"]!.GetValue<long>() == id);
        foreach (var (tech, stop) in stops)
        {
            var skill = stop["explanation"]!["requiredSkill"]!.GetValue<string>();
            Assert.Contains(skill, techs[tech]["skills"]!.AsArray().Select(x => x!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(stop["explanation"]!["text"]!.GetValue<string>()));
        }
        var pinned = stops.Single(s => s.Stop["workOrderId"]!.GetValue<long>() == ids[0]);
        Assert.Equal(tech02, pinned.Tech);
        Assert.True(pinned.Stop["explanation"]!["pinned"]!.GetValue<bool>());
        var summary = plan["summary"]!;
        Assert.Equal(summary["orders"]!.GetValue<int>(), summary["served"]!.GetValue<int>() + summary["unserved"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_stop_of_the_plan_carries_a_numeric_score_and_names_the_next_best_technician_by_an_integer_id()
    {
        var day = DateOnly.FromDateTime(app.LocalNow.Date.AddDays(2));
        var ids = new List<long>();
        for (var i = 0; i < 3; i++) ids.Add(await OrderTomorrow(day, 28.20 + i * 0.01, 112.96 - i * 0.01));
        var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = day.ToString("yyyy-MM-dd"), seconds = 0.5 })).Expect(HttpStatusCode.OK).Body;
        var techs = await Technicians();
        var stops = plan["routes"]!.AsArray().SelectMany(r => r!["stops"]!.AsArray()).Select(s => s!).ToList();
        foreach (var id in ids) Assert.Contains(stops, s => s["workOrderId"]!.GetValue<long>() == id);
        foreach (var stop in stops)
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Number, stop["score"]!.GetValueKind());
            Assert.True(stop["score"]!.GetValue<double>() >= 0);
            if (stop["explanation"]!["nextBestTechnicianId"] is { } next)
            {
                Assert.Equal(System.Text.Json.JsonValueKind.Number, next.GetValueKind());
                Assert.Contains(next.GetValue<int>(), techs.Keys);
            }
        }
        // Several technicians of the branch repair air conditioners: at least one of the test's orders has a runner-up.
        Assert.Contains(stops.Where(s => ids.Contains(s["workOrderId"]!.GetValue<long>())), s => s["explanation"]!["nextBestTechnicianId"] is not null);
        // The score is documented where a client reads the contract.
        var doc = await Json.Read(await app.Factory.CreateClient().GetAsync("/openapi/v1.json"));
        Assert.Contains("driving", doc["components"]!["schemas"]!["PlanStopDto"]!["properties"]!["score"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("integer", JsonNodeType(doc["components"]!["schemas"]!["PlanExplanationDto"]!["properties"]!["nextBestTechnicianId"]!));
    }

    private static IEnumerable<string> JsonNodeType(JsonNode schema) => schema["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()),
        JsonValue type => [type.GetValue<string>()],
        _ => [],
    };

    [Fact]
    public async Task A_new_order_gets_a_suggested_technician_and_position_without_replanning()
    {
        var today = DateOnly.FromDateTime(app.LocalNow.Date);
        var tomorrow = today.AddDays(1);
        await app.At(new DateTimeOffset(tomorrow.Year, tomorrow.Month, tomorrow.Day, 8, 0, 0, TimeSpan.FromHours(8)));
        var id = await OrderTomorrow(tomorrow, 28.2, 112.94);
        var suggestion = (await _given.Dispatcher.Post("/api/dispatch/suggest", new { workOrderId = id })).Expect(HttpStatusCode.OK).Body;
        Assert.True(suggestion["feasible"]!.GetValue<bool>());
        var tech = (await Technicians())[suggestion["technicianId"]!.GetValue<int>()];
        Assert.Contains("ac.repair", tech["skills"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(tech["onDuty"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_plan_made_in_the_afternoon_proposes_no_time_already_past_and_explains_in_the_readers_language()
    {
        var today = DateOnly.FromDateTime(app.LocalNow.Date.AddDays(1));
        var now = new DateTimeOffset(today.Year, today.Month, today.Day, 14, 0, 0, TimeSpan.FromHours(8));
        await app.At(now);
        var customer = (await _given.Clerk.Post("/api/customers", new { name = "下午客户", phone = Given.Phone(), address = "长沙市", location = new { lat = 28.2, lng = 112.95 } })).Expect(HttpStatusCode.Created).Id;
        var serial = await _given.Product(customer);
        // The customer asked for the morning, already gone: the plan still serves the order, from now on.
        var morning = new DateTimeOffset(today.Year, today.Month, today.Day, 9, 0, 0, TimeSpan.FromHours(8));
        var id = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "不制冷",
            requestedWindow = new { start = morning, end = morning.AddHours(9) },
        })).Expect(HttpStatusCode.Created).Id;

        var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { seconds = 0.5 })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(today.ToString("yyyy-MM-dd"), plan["date"]!.GetValue<string>());
        var stops = plan["routes"]!.AsArray().SelectMany(r => r!["stops"]!.AsArray()).ToList();
        Assert.Contains(stops, s => s!["workOrderId"]!.GetValue<long>() == id);
        Assert.All(stops, s => Assert.True(s!["serviceStart"]!.GetValue<DateTimeOffset>() >= now));
        var text = stops.First(s => s!["workOrderId"]!.GetValue<long>() == id)!["explanation"]!["text"]!.GetValue<string>();
        Assert.Contains("公里", text);
        Assert.DoesNotMatch("[A-Za-z]{3,}", text);
        var english = (await _given.Dispatcher.InLanguage("en").Post("/api/dispatch/plan", new { seconds = 0.5 })).Expect(HttpStatusCode.OK).Body;
        Assert.Contains("km from the previous stop", english["routes"]!.AsArray().SelectMany(r => r!["stops"]!.AsArray()).First()!["explanation"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_dispatchers_and_managers_plan_the_day()
    {
        (await app.Api("tech01").Post("/api/dispatch/plan", new { })).Expect(HttpStatusCode.Forbidden);
        (await _given.Clerk.Post("/api/dispatch/plan", new { })).Expect(HttpStatusCode.Forbidden);
        (await _given.Dispatcher.Post("/api/dispatch/plan", new { seconds = 99 })).Expect(HttpStatusCode.BadRequest);
    }
}
