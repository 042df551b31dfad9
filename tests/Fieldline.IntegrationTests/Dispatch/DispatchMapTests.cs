using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Dispatch;

[Collection(SqliteCollection.Name)] public sealed class DispatchMapTestsOnSqlite(SqliteFixture app) : DispatchMapTests(app);
[Collection(PostgresCollection.Name)] public sealed class DispatchMapTestsOnPostgres(PostgresFixture app) : DispatchMapTests(app);

/// <summary>What the board's and the plan's maps draw (ShowDispatchMap), from the real board and plan on a real database.</summary>
public abstract class DispatchMapTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<T> AsDispatcher<T>(Func<CurrentUser, IServiceProvider, Task<T>> run)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var me = (await app.Api("dispatcher").Get("/api/me")).Expect(HttpStatusCode.OK).Body;
        var user = new CurrentUser(me["id"]!.GetValue<int>(), "dispatcher", me["branchId"]!.GetValue<int>(), false, [Roles.Dispatcher]);
        return await run(user, scope.ServiceProvider);
    }

    private Task<DispatchMapDto> BoardMap() => AsDispatcher(async (user, s) =>
        await s.GetRequiredService<ShowDispatchMap>().ForBoard(user, await s.GetRequiredService<ShowBoard>().Handle(user, null, default), default));

    [Fact]
    public async Task A_technicians_last_known_position_is_their_latest_site_check_in_until_they_check_in_at_the_office_and_their_stops_follow_their_appointments()
    {
        // 09:00 of the next day the clock has not passed: a day of its own, without ticking through a week of timers.
        var now = app.LocalNow;
        var day = new DateTimeOffset(now.Year, now.Month, now.Day, 9, 0, 0, now.Offset).AddDays(now.Hour < 9 ? 0 : 1);
        await app.At(day);
        var (user, techId, _) = await _given.NewTechnician();
        var tech = app.Api(user);
        async Task<(long Id, string Code)> Scheduled(int hour)
        {
            var order = await _given.NewRepairOrder();
            var id = order["id"]!.GetValue<long>();
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = techId })).Expect(HttpStatusCode.OK);
            (await tech.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
            (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = day.AddHours(hour - 9), end = day.AddHours(hour - 8) } }))
                .Expect(HttpStatusCode.OK);
            return (id, order["code"]!.GetValue<string>());
        }
        var afternoon = await Scheduled(15);
        var morning = await Scheduled(10);
        var waiting = (await _given.NewRepairOrder())["id"]!.GetValue<long>();

        var before = await BoardMap();
        var me = before.Technicians.Single(t => t.Id == techId);
        Assert.Null(me.Position); // never on site yet
        Assert.Equal([morning.Id, afternoon.Id], before.Route.Where(o => o.TechnicianId == techId).Select(o => o.Id));
        Assert.Equal([1, 2], before.Route.Where(o => o.TechnicianId == techId).Select(o => o.Sequence ?? 0));
        var queued = before.Unassigned.Single(o => o.Id == waiting);
        Assert.Equal(new MapPoint(28.18, 112.94), queued.Location);
        Assert.Equal("测试客户", queued.CustomerName);

        await app.At(day.AddHours(1));
        (await tech.Post($"/api/work-orders/{morning.Id}/check-in", new { location = new { lat = 28.1805, lng = 112.9412 } })).Expect(HttpStatusCode.OK);
        var onSite = (await BoardMap()).Technicians.Single(t => t.Id == techId);
        Assert.Equal(new MapPoint(28.1805, 112.9412), onSite.Position);
        Assert.Equal(morning.Code, onSite.PositionOrderCode);
        Assert.Equal(day.AddHours(1), onSite.PositionAt);

        // Back at the office: the site is no longer where they are, and the office has no place on the map.
        await app.At(day.AddHours(3));
        (await tech.Post("/api/attendance/office-check-ins")).Expect(HttpStatusCode.Created);
        var inOffice = (await BoardMap()).Technicians.Single(t => t.Id == techId);
        Assert.Null(inOffice.Position);
        Assert.Equal(day.AddHours(3), inOffice.AtOfficeSince);
    }

    [Fact]
    public async Task The_plans_map_draws_each_route_in_the_optimisers_order_and_lists_what_it_could_not_place()
    {
        var plan = await AsDispatcher((user, s) => s.GetRequiredService<PlanDay>().Handle(user, new PlanRequest(null, null, 0.2, 1), default));
        var map = await AsDispatcher((user, s) => s.GetRequiredService<ShowDispatchMap>().ForPlan(user, plan, default));
        Assert.Equal(plan.Routes.SelectMany(r => r.Stops.Select(s => s.WorkOrderId)), map.Route.Select(o => o.Id));
        foreach (var route in plan.Routes)
            Assert.Equal(Enumerable.Range(1, route.Stops.Count), map.Route.Where(o => o.TechnicianId == route.TechnicianId).Select(o => o.Sequence ?? 0));
        Assert.Equal(plan.Unserved.Select(u => u.WorkOrderId), map.Unassigned.Select(o => o.Id));
        Assert.All(map.Route, o => Assert.NotNull(o.Location)); // the optimiser only places orders that have a place
        // Colours are the technicians' ranks by id: the same technician has the same colour on the board and the plan.
        Assert.Equal(map.Technicians.Select(t => t.Id).Order(), map.Technicians.Select(t => t.Id));
        Assert.Equal(Enumerable.Range(0, map.Technicians.Count).Select(i => i % ShowDispatchMap.Colours), map.Technicians.Select(t => t.Colour));
    }
}
