using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Trips;

[Collection(SqliteCollection.Name)] public sealed class ServiceTripTestsOnSqlite(SqliteFixture app) : ServiceTripTests(app);
[Collection(PostgresCollection.Name)] public sealed class ServiceTripTestsOnPostgres(PostgresFixture app) : ServiceTripTests(app);

/// <summary>
/// 第15篇, a service trip: PRJ-21 the arrival report first, PRJ-27 the daily log and the trip report, ATT-20/PRJ-28 the
/// supervisor setting the rest after it, RWD-08 an adopted suggestion rewarded; while away the person is not dispatched
/// other orders. Under the electrical field-commissioning regulation, which asks for all of it.
/// </summary>
public abstract class ServiceTripTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<T> UnderElectricalRegulation<T>(Func<Task<T>> test)
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "electrical-field-commissioning" })).Expect(HttpStatusCode.OK);
        try { return await test(); }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }

    private async Task<(long Trip, Api Tech, (string User, int TechnicianId, int UserId) Who)> Sent(string destination = "唐山钢厂")
    {
        var who = await _given.NewTechnician();
        var trip = (await app.Api("supervisor").Post("/api/trips", new { technicianId = who.TechnicianId, destination, purpose = "电控柜现场调试" }))
            .Expect(HttpStatusCode.Created).Id;
        return (trip, app.Api(who.User), who);
    }

    [Fact]
    public Task A_technician_sent_on_a_trip_reports_on_arrival_logs_each_day_hands_in_the_trip_report_and_the_supervisor_sets_the_rest_and_rewards_an_adopted_suggestion() =>
        UnderElectricalRegulation(async () =>
        {
            var (id, tech, who) = await Sent();
            await app.Tick();
            Assert.Contains((await tech.Get("/api/notifications?pageSize=50")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
                n => n!["kind"]!.GetValue<string>() == "tripAssigned" && n["body"]!.GetValue<string>().Contains("唐山钢厂", StringComparison.Ordinal));

            // PRJ-21: the progress is required in the arrival report.
            var bad = (await tech.Post($"/api/trips/{id}/arrival", new { conditions = "雨天" })).Expect(HttpStatusCode.BadRequest).Body;
            Assert.Contains("现场施工进度", bad["errors"]!["progress"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            // Logging before the arrival report is out of turn.
            (await tech.Post($"/api/trips/{id}/log", new { work = "接线" })).Expect(HttpStatusCode.Conflict);
            var arrived = (await tech.Post($"/api/trips/{id}/arrival", new { progress = "土建完成,电缆桥架未到", conditions = "连日降雨,厂方电工未到岗" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("onSite", arrived["status"]!.GetValue<string>());
            await app.Tick();
            Assert.Contains((await app.Api("supervisor").Get("/api/notifications?kind=tripArrived&pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
                n => n!["kind"]!.GetValue<string>() == "tripArrived" && n["body"]!.GetValue<string>().Contains("电缆桥架未到", StringComparison.Ordinal));

            // PRJ-27: one log a day; a second for the same day is refused; a day in the future too.
            var first = (await tech.Post($"/api/trips/{id}/log", new { work = "检查电控柜、操纵台,核对装箱单", suggestion = "装箱单应随柜附电子版" })).Expect(HttpStatusCode.OK).Body;
            var logId = first["logs"]![0]!["id"]!.GetValue<long>();
            (await tech.Post($"/api/trips/{id}/log", new { work = "再记一次" })).Expect(HttpStatusCode.Conflict);
            var today = DateOnly.FromDateTime(app.LocalNow.DateTime);
            Assert.NotNull((await tech.Post($"/api/trips/{id}/log", new { day = today.AddDays(1), work = "明天的" })).Expect(HttpStatusCode.BadRequest).Body["errors"]!["day"]);
            app.Clock.Advance(TimeSpan.FromDays(2)); // a day with no log, then the day of return
            (await tech.Post($"/api/trips/{id}/log", new { work = "联调完成,生产参数已调整" })).Expect(HttpStatusCode.OK);

            // The trip report: required under this regulation; the day without a log is shown.
            (await tech.Post($"/api/trips/{id}/return", new { })).Expect(HttpStatusCode.BadRequest);
            var back = (await tech.Post($"/api/trips/{id}/return", new { report = "调试完成,设备已投产" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("returned", back["status"]!.GetValue<string>());
            Assert.Equal([today.AddDays(1).ToString("yyyy-MM-dd")], back["missingLogDays"]!.AsArray().Select(d => d!.GetValue<string>()));

            // ATT-20: the rest is required; the technician may not set it; an adopted suggestion needs an amount (the regulation names none).
            (await tech.Post($"/api/trips/{id}/review", new { restDays = 5 })).Expect(HttpStatusCode.Forbidden);
            Assert.NotNull((await app.Api("supervisor").Post($"/api/trips/{id}/review", new { })).Expect(HttpStatusCode.BadRequest).Body["errors"]!["restDays"]);
            Assert.NotNull((await app.Api("supervisor").Post($"/api/trips/{id}/review", new { restDays = 2, adopted = new[] { new { logId } } }))
                .Expect(HttpStatusCode.BadRequest).Body["errors"]!["adopted[0].reward"]);
            var reviewed = (await app.Api("supervisor").Post($"/api/trips/{id}/review", new { restDays = 2, note = "辛苦了", adopted = new[] { new { logId, reward = 200m } } }))
                .Expect(HttpStatusCode.OK).Body;
            Assert.Equal("reviewed", reviewed["status"]!.GetValue<string>());
            var restFrom = today.AddDays(3);
            Assert.Equal((restFrom.ToString("yyyy-MM-dd"), restFrom.AddDays(1).ToString("yyyy-MM-dd")), (reviewed["restFrom"]!.GetValue<string>(), reviewed["restTo"]!.GetValue<string>()));
            Assert.True(reviewed["logs"]![0]!["adopted"]!.GetValue<bool>());
            (await app.Api("supervisor").Post($"/api/trips/{id}/review", new { restDays = 1 })).Expect(HttpStatusCode.Conflict);

            // The rest is approved leave: not dispatchable on those days, in the reader's language.
            var rest = (await tech.Get("/api/leave-requests?pageSize=5")).Expect(HttpStatusCode.OK).Body["items"]![0]!;
            Assert.Equal(("approved", "出差(唐山钢厂)返回后休息"), (rest["status"]!.GetValue<string>(), rest["reason"]!.GetValue<string>()));
            var eligibility = (await _given.Manager.Get($"/api/technicians/{who.TechnicianId}/eligibility?date={restFrom:yyyy-MM-dd}")).Expect(HttpStatusCode.OK).Body;
            Assert.Contains(eligibility["reasons"]!.AsArray(), r => r!["code"]!.GetValue<string>() == "onLeave");
            // RWD-08: the reward is a bonus line of the month's pay.
            var ledger = await app.Db(db => db.PayLedger.Where(l => l.PersonUserId == who.UserId).ToListAsync());
            var bonus = Assert.Single(ledger);
            Assert.Equal((Fieldline.Web.Features.Evaluation.PayLedgerKind.Bonus, 200m, "RWD-08"), (bonus.Kind, bonus.Amount, bonus.RuleIds));
            await app.Tick();
            Assert.Contains((await tech.Get("/api/notifications?pageSize=50")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(), n => n!["kind"]!.GetValue<string>() == "tripReviewed");
            return 0;
        });

    [Fact]
    public Task A_technician_away_on_a_trip_is_not_dispatched_other_orders_but_may_be_given_the_order_the_trip_is_for() =>
        UnderElectricalRegulation(async () =>
        {
            var who = await _given.NewTechnician();
            var tripOrder = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            var other = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            var leftBehind = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            (await app.Api("dispatcher").Post($"/api/work-orders/{leftBehind}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.OK);
            var trip = (await app.Api("dispatcher").Post("/api/trips", new { technicianId = who.TechnicianId, destination = "邯郸", purpose = "调试", workOrderId = tripOrder })).Expect(HttpStatusCode.Created).Id;
            // The order still assigned to the traveller is named to the dispatchers, and on the trip's page, to transfer.
            await app.Tick();
            var code = (await app.Api("dispatcher").Get($"/api/work-orders/{leftBehind}")).Body["code"]!.GetValue<string>();
            Assert.Contains((await app.Api("dispatcher").Get("/api/notifications?kind=tripOrdersToReassign&pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
                n => n!["kind"]!.GetValue<string>() == "tripOrdersToReassign" && n["body"]!.GetValue<string>().Contains(code, StringComparison.Ordinal));
            var page = await (await ConsoleSession.SignIn(app, "dispatcher")).Get($"/trips/{trip}");
            Assert.Contains($"href=\"/orders/{leftBehind}\"", page, StringComparison.Ordinal);
            // One trip at a time.
            (await app.Api("dispatcher").Post("/api/trips", new { technicianId = who.TechnicianId, destination = "保定", purpose = "调试" })).Expect(HttpStatusCode.Conflict);

            var refused = (await app.Api("dispatcher").Post($"/api/work-orders/{other}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("出差在外", refused.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
            (await app.Api("dispatcher").Post($"/api/work-orders/{tripOrder}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.OK);
            var board = (await app.Api("dispatcher").Get("/api/dispatch/board")).Expect(HttpStatusCode.OK).Body.ToJsonString();
            Assert.Contains("onTrip", board, StringComparison.Ordinal);
            return 0;
        });

    [Fact]
    public Task Steps_out_of_turn_are_409_another_persons_trip_is_404_and_bad_input_names_the_field() =>
        UnderElectricalRegulation(async () =>
        {
            var (id, tech, _) = await Sent();
            var missing = (await app.Api("supervisor").Post("/api/trips", new { technicianId = (int?)null, destination = "", purpose = new string('长', 501) })).Expect(HttpStatusCode.BadRequest).Body;
            Assert.Equal(["destination", "purpose", "technicianId"], missing["errors"]!.AsObject().Select(e => e.Key).Order());
            (await app.Api("tech01").Get($"/api/trips/{id}")).Expect(HttpStatusCode.NotFound);
            (await app.Api("tech01").Post($"/api/trips/{id}/arrival", new { progress = "不是我的" })).Expect(HttpStatusCode.NotFound);
            (await app.Api("clerk").Post("/api/trips", new { technicianId = 1, destination = "x", purpose = "y" })).Expect(HttpStatusCode.Forbidden);
            (await tech.Post($"/api/trips/{id}/return", new { report = "还没到" })).Expect(HttpStatusCode.Conflict);
            (await app.Api("supervisor").Post($"/api/trips/{id}/review", new { restDays = 1 })).Expect(HttpStatusCode.Conflict);
            (await tech.Post($"/api/trips/{id}/arrival", new { progress = "已开工" })).Expect(HttpStatusCode.OK);
            (await tech.Post($"/api/trips/{id}/arrival", new { progress = "再报一次" })).Expect(HttpStatusCode.Conflict);
            // PRJ-27: the report is the daily log — none yet.
            var noLog = (await tech.Post($"/api/trips/{id}/return", new { report = "完成" })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("每日工作记录", noLog["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            // Another branch's office does not see it; the technician's list holds only their own.
            Assert.DoesNotContain((await app.Api("tech01").Get("/api/trips?pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(), t => t!["id"]!.GetValue<long>() == id);
            Assert.Contains((await app.Api("supervisor").Get("/api/trips?status=onSite&pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(), t => t!["id"]!.GetValue<long>() == id);
            Assert.NotNull((await app.Api("supervisor").Get("/api/trips?status=away")).Expect(HttpStatusCode.BadRequest).Body["errors"]!["status"]);
            return 0;
        });

    [Fact]
    public async Task Under_a_policy_without_the_trip_rules_the_reports_are_optional_and_no_rest_need_be_set()
    {
        var (id, tech, who) = await Sent("株洲");
        (await tech.Post($"/api/trips/{id}/arrival", new { })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/trips/{id}/return", new { })).Expect(HttpStatusCode.OK);
        var reviewed = (await app.Api("manager").Post($"/api/trips/{id}/review", new { })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("reviewed", reviewed["status"]!.GetValue<string>());
        Assert.Null(reviewed["restFrom"]);
        var eligibility = (await _given.Manager.Get($"/api/technicians/{who.TechnicianId}/eligibility")).Expect(HttpStatusCode.OK).Body;
        Assert.DoesNotContain(eligibility["reasons"]!.AsArray(), r => r!["code"]!.GetValue<string>() is "onTrip" or "onLeave");
    }

    [Fact]
    public async Task The_trips_pages_show_the_branchs_trips_and_the_review_form_in_Chinese()
    {
        var (id, tech, _) = await Sent("湘潭");
        (await tech.Post($"/api/trips/{id}/arrival", new { progress = "进度正常" })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/trips/{id}/log", new { work = "接线", suggestion = "线号管提前打印" })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/trips/{id}/return", new { report = "完成" })).Expect(HttpStatusCode.OK);
        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        var list = await supervisor.Get("/trips");
        Assert.Contains($"href=\"/trips/{id}\"", list, StringComparison.Ordinal);
        var page = await supervisor.Get($"/trips/{id}");
        Assert.Contains("id=\"review-form\"", page, StringComparison.Ordinal);
        Assert.Contains("线号管提前打印", page, StringComparison.Ordinal);
        foreach (var html in new[] { list, page })
        {
            var english = LanguageCrawl.EnglishIn(html).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
            Assert.True(english.Count == 0, "English on a Chinese trips page:\n" + string.Join("\n", english.Take(40)));
        }
    }
}
