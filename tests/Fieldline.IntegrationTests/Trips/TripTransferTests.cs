using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Trips;

[Collection(SqliteCollection.Name)] public sealed class TripTransferTestsOnSqlite(SqliteFixture app) : TripTransferTests(app);
[Collection(PostgresCollection.Name)] public sealed class TripTransferTestsOnPostgres(PostgresFixture app) : TripTransferTests(app);

/// <summary>
/// A technician sent on a service trip does no other orders; the dispatcher gives the ones still assigned to them to
/// others in one step (DSP-11 for each: the reason, someone who may take it), on the trip's page or by the API, all of
/// them or none.
/// </summary>
public abstract class TripTransferTests(AppFixture app)
{
    private readonly Given _given = new(app);

    /// <summary>A new technician with two orders (one dispatched, one accepted), sent on a trip; the trip's id, the orders.</summary>
    private async Task<(long Trip, long Dispatched, long Accepted, (string User, int TechnicianId, int UserId) Who)> AwayWithTwoOrders()
    {
        var who = await _given.NewTechnician();
        var dispatched = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var accepted = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        foreach (var id in new[] { dispatched, accepted })
            (await app.Api("dispatcher").Post($"/api/work-orders/{id}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.OK);
        (await app.Api(who.User).Post($"/api/work-orders/{accepted}/accept")).Expect(HttpStatusCode.OK);
        var trip = (await app.Api("dispatcher").Post("/api/trips", new { technicianId = who.TechnicianId, destination = "邯郸钢厂", purpose = "设备调试" }))
            .Expect(HttpStatusCode.Created).Id;
        return (trip, dispatched, accepted, who);
    }

    private async Task<(int? Technician, int Version, string Code)> Order(long id)
    {
        var o = (await app.Api("dispatcher").Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
        return (o["technicianId"]?.GetValue<int>(), o["version"]!.GetValue<int>(), o["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dispatcher_gives_each_order_a_traveller_left_behind_to_the_person_chosen_for_it_in_one_step_with_the_reason()
    {
        var (trip, dispatched, accepted, who) = await AwayWithTwoOrders();
        var first = await _given.NewTechnician();
        var second = await _given.NewTechnician();

        var done = (await app.Api("dispatcher").Post($"/api/trips/{trip}/transfers", new
        {
            reason = "出差在外,工单转派",
            orders = new[]
            {
                new { workOrderId = dispatched, technicianId = first.TechnicianId, version = (await Order(dispatched)).Version },
                new { workOrderId = accepted, technicianId = second.TechnicianId, version = (await Order(accepted)).Version },
            },
        }, Guid.NewGuid().ToString())).Expect(HttpStatusCode.OK).Body["transferred"]!.AsArray();
        Assert.Equal([(dispatched, first.TechnicianId), (accepted, second.TechnicianId)],
            done.Select(o => (o!["workOrderId"]!.GetValue<long>(), o["technicianId"]!.GetValue<int>())));

        Assert.Equal(first.TechnicianId, (await Order(dispatched)).Technician);
        Assert.Equal(second.TechnicianId, (await Order(accepted)).Technician);
        var timeline = (await app.Api("dispatcher").Get($"/api/work-orders/{accepted}")).Body["timeline"]!.AsArray();
        Assert.Contains(timeline, e => e!["action"]!.GetValue<string>() == "transferred" && e["data"]!["reason"]!.GetValue<string>() == "出差在外,工单转派");
        // The new technicians have them; the traveller has none left behind.
        Assert.Contains((await app.Api(second.User).Get("/api/work-orders?pageSize=50")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
            o => o!["id"]!.GetValue<long>() == accepted);
        var page = await (await ConsoleSession.SignIn(app, "dispatcher")).Get($"/trips/{trip}");
        Assert.DoesNotContain("id=\"left-behind\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_order_among_them_changes_none_names_its_row_and_only_the_dispatcher_side_may_transfer()
    {
        var (trip, dispatched, accepted, who) = await AwayWithTwoOrders();
        var able = await _given.NewTechnician();
        var purifierOnly = await _given.NewTechnician(["purifier.repair"]);
        var before = (await Order(dispatched), await Order(accepted));
        string Transfers() => $"/api/trips/{trip}/transfers";

        // The second lacks the skill for an air conditioner: a wrong choice in its row (400), and the first is not moved either.
        var wrong = (await app.Api("dispatcher").Post(Transfers(), new
        {
            reason = "出差",
            orders = new[] { new { workOrderId = dispatched, technicianId = able.TechnicianId }, new { workOrderId = accepted, technicianId = purifierOnly.TechnicianId } },
        })).Expect(HttpStatusCode.BadRequest).Body;
        Assert.Equal(["orders[1].technicianId"], wrong["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(before, (await Order(dispatched), await Order(accepted)));

        // A stale version: 409 naming the order; again nothing moved.
        var stale = (await app.Api("dispatcher").Post(Transfers(), new
        {
            reason = "出差",
            orders = new[] { new { workOrderId = dispatched, technicianId = able.TechnicianId, version = before.Item1.Version }, new { workOrderId = accepted, technicianId = able.TechnicianId, version = before.Item2.Version - 1 } },
        })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Contains(before.Item2.Code, stale["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await Order(dispatched), await Order(accepted)));

        // Bad lists name their fields: none, an order that is not the traveller's, one listed twice, the traveller again, no reason.
        var other = await _given.OrderIn("dispatched");
        var bad = (await app.Api("dispatcher").Post(Transfers(), new
        {
            reason = " ",
            orders = new object?[]
            {
                new { workOrderId = other, technicianId = able.TechnicianId }, new { workOrderId = dispatched, technicianId = who.TechnicianId },
                new { workOrderId = dispatched, technicianId = able.TechnicianId }, new { workOrderId = (long?)null, technicianId = (int?)null },
            },
        })).Expect(HttpStatusCode.BadRequest).Body;
        Assert.Equal(["reason"], bad["errors"]!.AsObject().Select(e => e.Key));
        bad = (await app.Api("dispatcher").Post(Transfers(), new
        {
            reason = "出差",
            orders = new object?[]
            {
                new { workOrderId = other, technicianId = able.TechnicianId }, new { workOrderId = dispatched, technicianId = who.TechnicianId },
                new { workOrderId = dispatched, technicianId = able.TechnicianId }, new { workOrderId = (long?)null, technicianId = (int?)null },
            },
        })).Expect(HttpStatusCode.BadRequest).Body;
        Assert.Equal(["orders[0].workOrderId", "orders[1].technicianId", "orders[2].workOrderId", "orders[3].technicianId", "orders[3].workOrderId"],
            bad["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["orders"], (await app.Api("dispatcher").Post(Transfers(), new { reason = "出差", orders = Array.Empty<object>() }))
            .Expect(HttpStatusCode.BadRequest).Body["errors"]!.AsObject().Select(e => e.Key));

        // The clerk, the supervisor and the traveller may not; another branch does not see the trip.
        var one = new { reason = "出差", orders = new[] { new { workOrderId = dispatched, technicianId = able.TechnicianId } } };
        (await app.Api("clerk").Post(Transfers(), one)).Expect(HttpStatusCode.Forbidden);
        (await app.Api("supervisor").Post(Transfers(), one)).Expect(HttpStatusCode.Forbidden);
        (await app.Api(who.User).Post(Transfers(), one)).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(before, (await Order(dispatched), await Order(accepted)));

        // Back from the trip, the orders are theirs again: no transfer from the trip.
        (await app.Api(who.User).Post($"/api/trips/{trip}/arrival", new { })).Expect(HttpStatusCode.OK);
        (await app.Api(who.User).Post($"/api/trips/{trip}/return", new { })).Expect(HttpStatusCode.OK);
        (await app.Api("dispatcher").Post(Transfers(), one)).Expect(HttpStatusCode.Conflict);
        Assert.Equal(before, (await Order(dispatched), await Order(accepted)));
    }

    [Fact]
    public async Task On_the_trips_page_in_Chinese_the_dispatcher_chooses_who_takes_each_order_over_and_a_wrong_choice_is_shown_in_its_row()
    {
        var (trip, dispatched, accepted, who) = await AwayWithTwoOrders();
        var able = await _given.NewTechnician();
        var purifierOnly = await _given.NewTechnician(["purifier.repair"]);
        var (_, dispatchedVersion, dispatchedCode) = await Order(dispatched);
        var (_, acceptedVersion, acceptedCode) = await Order(accepted);
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        var page = await dispatcher.Get($"/trips/{trip}");
        Assert.Contains("id=\"transfer-left-behind\"", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"technician-{dispatched}\"", page, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{able.TechnicianId}\"", page, StringComparison.Ordinal); // may take an AC repair
        Assert.DoesNotContain($"<option value=\"{purifierOnly.TechnicianId}\"", page, StringComparison.Ordinal); // may not
        Assert.DoesNotContain($"<option value=\"{who.TechnicianId}\"", page, StringComparison.Ordinal); // away
        Assert.Contains("出差前往邯郸钢厂", page, StringComparison.Ordinal); // the reason, filled in
        var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, "English on the Chinese trip page:\n" + string.Join("\n", english.Take(40)));

        // A wrong choice (posted as a stale form might): the page says so in that row and keeps the choices; nothing moved.
        KeyValuePair<string, string> F(string k, object v) => new(k, v.ToString()!);
        var refused = await dispatcher.Post($"/trips/{trip}?handler=Transfer", [
            F("order", dispatched), F($"technician-{dispatched}", able.TechnicianId), F($"version-{dispatched}", dispatchedVersion),
            F("order", accepted), F($"technician-{accepted}", purifierOnly.TechnicianId), F($"version-{accepted}", acceptedVersion),
            F("reason", "出差前往邯郸钢厂，工单转派他人")]);
        Assert.Contains("class=\"field-error\"", refused, StringComparison.Ordinal);
        Assert.Contains("不具备该工单所需的技能", refused, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{able.TechnicianId}\" selected=\"selected\"", refused, StringComparison.Ordinal);
        Assert.Equal(who.TechnicianId, (await Order(dispatched)).Technician);

        // A version that cannot be read is refused, never taken as "no version" (which would skip the concurrency check).
        var unreadable = await dispatcher.Post($"/trips/{trip}?handler=Transfer", [
            F("order", dispatched), F($"technician-{dispatched}", able.TechnicianId), F($"version-{dispatched}", "abc"), F("reason", "出差")]);
        Assert.Contains("必须是整数", unreadable, StringComparison.Ordinal);
        Assert.Equal(who.TechnicianId, (await Order(dispatched)).Technician);

        // Nothing chosen: the page asks for a choice.
        var none = await dispatcher.Post($"/trips/{trip}?handler=Transfer", [
            F("order", dispatched), F($"technician-{dispatched}", ""), F("reason", "出差")]);
        Assert.Contains("请至少为一张工单选择接手的技师", none, StringComparison.Ordinal);

        // One order to someone, the other kept for now.
        var landed = await dispatcher.Post($"/trips/{trip}?handler=Transfer", [
            F("order", dispatched), F($"technician-{dispatched}", able.TechnicianId), F($"version-{dispatched}", dispatchedVersion),
            F("order", accepted), F($"technician-{accepted}", ""), F($"version-{accepted}", acceptedVersion),
            F("reason", "出差前往邯郸钢厂，工单转派他人")]);
        Assert.Contains($"已转派：{dispatchedCode}。", landed, StringComparison.Ordinal);
        Assert.Equal(able.TechnicianId, (await Order(dispatched)).Technician);
        Assert.Equal(who.TechnicianId, (await Order(accepted)).Technician);
        Assert.Contains($"name=\"technician-{accepted}\"", landed, StringComparison.Ordinal);
        Assert.DoesNotContain($"name=\"technician-{dispatched}\"", landed, StringComparison.Ordinal);
        Assert.Contains(acceptedCode, landed, StringComparison.Ordinal);

        // The supervisor reads the list, without the form.
        var supervisor = await (await ConsoleSession.SignIn(app, "supervisor")).Get($"/trips/{trip}");
        Assert.Contains(acceptedCode, supervisor, StringComparison.Ordinal);
        Assert.DoesNotContain($"name=\"technician-{accepted}\"", supervisor, StringComparison.Ordinal);
    }
}
