using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class EligibilityTestsOnSqlite(SqliteFixture app) : EligibilityTests(app);
[Collection(PostgresCollection.Name)] public sealed class EligibilityTestsOnPostgres(PostgresFixture app) : EligibilityTests(app);

/// <summary>
/// The one eligibility rule (issue 17): leave and suspensions keep a person out of dispatch, transfer, the plan and the
/// board, each with its reason in the reader's language. Every test makes its own technician, so the demo staff stay free.
/// </summary>
public abstract class EligibilityTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd");

    private static IEnumerable<string> Codes(JsonNode reasons) => reasons.AsArray().Select(r => r!["code"]!.GetValue<string>());

    private async Task<JsonNode> Eligibility(int technicianId, DateOnly day, long? order = null) =>
        (await _given.Dispatcher.Get($"/api/technicians/{technicianId}/eligibility?date={D(day)}{(order is { } o ? $"&workOrderId={o}" : "")}")).Expect(HttpStatusCode.OK).Body;

    private async Task<JsonNode> Plan(DateOnly day) =>
        (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = D(day), seconds = 0.2 })).Expect(HttpStatusCode.OK).Body;

    private static void LeftOut(JsonNode plan, int technicianId, string code)
    {
        var left = plan["leftOut"]!.AsArray().SingleOrDefault(t => t!["technicianId"]!.GetValue<int>() == technicianId);
        Assert.NotNull(left);
        Assert.Contains(code, Codes(left!["reasons"]!));
        Assert.False(string.IsNullOrWhiteSpace(left["text"]!.GetValue<string>()));
        Assert.DoesNotContain(plan["routes"]!.AsArray(), r => r!["technicianId"]!.GetValue<int>() == technicianId);
    }

    [Fact]
    public async Task A_suspended_technician_is_refused_by_dispatch_naming_the_reason_left_out_of_the_plan_and_back_when_it_ends()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var suspension = (await _given.Manager.Post("/api/suspensions", new { technicianId = tech, from = D(Today), to = D(Today.AddDays(2)), reason = "不服从调度" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal(D(Today.AddDays(2)), suspension["to"]!.GetValue<string>());

        var order = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var refused = (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Contains("suspended", Codes(refused["reasons"]!));
        Assert.Contains("停工", refused["detail"]!.GetValue<string>());
        Assert.Contains("不服从调度", refused["detail"]!.GetValue<string>());
        var english = (await _given.Dispatcher.InLanguage("en").Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Contains("Suspended", english["detail"]!.GetValue<string>());

        var today = await Eligibility(tech, Today);
        Assert.False(today["eligible"]!.GetValue<bool>());
        Assert.Equal(["suspended"], Codes(today["reasons"]!));
        LeftOut(await Plan(Today), tech, "suspended");
        var board = (await _given.Dispatcher.Get("/api/dispatch/board")).Expect(HttpStatusCode.OK).Body;
        var row = board["technicians"]!.AsArray().Single(t => t!["id"]!.GetValue<int>() == tech)!;
        Assert.False(row["eligible"]!.GetValue<bool>());
        Assert.Contains("suspended", Codes(row["reasons"]!));

        // Nothing lifts it: the day after it ends, the person may work again.
        Assert.True((await Eligibility(tech, Today.AddDays(3)))["eligible"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_technician_asks_for_leave_the_supervisor_approves_it_and_the_board_dispatch_and_plan_skip_them()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var asked = (await app.Api(user).Post("/api/leave-requests", new { from = D(Today), to = D(Today), reason = "家中有事" })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal("requested", asked["status"]!.GetValue<string>());
        Assert.False(asked["emergency"]!.GetValue<bool>());
        // Asked for is not granted: only approved leave keeps a person from work.
        Assert.True((await Eligibility(tech, Today))["eligible"]!.GetValue<bool>());

        var id = asked["id"]!.GetValue<long>();
        var approved = (await app.Api("supervisor").Post($"/api/leave-requests/{id}/approve", new { note = "同意" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        (await app.Api("supervisor").Post($"/api/leave-requests/{id}/refuse", new { note = "晚了" })).Expect(HttpStatusCode.Conflict);

        Assert.Equal(["onLeave"], Codes((await Eligibility(tech, Today))["reasons"]!));
        var order = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var refused = (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Contains("onLeave", Codes(refused["reasons"]!));
        Assert.Contains("请假", refused["detail"]!.GetValue<string>());
        LeftOut(await Plan(Today), tech, "onLeave");
        var board = (await _given.Dispatcher.Get("/api/dispatch/board")).Expect(HttpStatusCode.OK).Body;
        Assert.Contains("onLeave", Codes(board["technicians"]!.AsArray().Single(t => t!["id"]!.GetValue<int>() == tech)!["reasons"]!));

        // The technician sees their own leave; the next day they are back.
        var mine = (await app.Api(user).Get("/api/leave-requests")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Equal(id, Assert.Single(mine)!["id"]!.GetValue<long>());
        Assert.True((await Eligibility(tech, Today.AddDays(1)))["eligible"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Leave_is_refused_only_with_a_reason_and_overlapping_leave_is_a_conflict()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var tech1 = app.Api(user);
        var id = (await tech1.Post("/api/leave-requests", new { from = D(Today.AddDays(5)), to = D(Today.AddDays(6)), reason = "回老家" })).Expect(HttpStatusCode.Created).Id;
        (await tech1.Post("/api/leave-requests", new { from = D(Today.AddDays(6)), to = D(Today.AddDays(7)), reason = "再请" })).Expect(HttpStatusCode.Conflict);
        var bad = (await tech1.Post("/api/leave-requests", new { from = D(Today.AddDays(-1)), reason = "" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["from", "reason", "to"], bad.ErrorFields.Order());
        Assert.Equal(["note"], (await app.Api("supervisor").Post($"/api/leave-requests/{id}/refuse", new { })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await tech1.Post($"/api/leave-requests/{id}/approve")).Expect(HttpStatusCode.Forbidden);
        var refused = (await app.Api("supervisor").Post($"/api/leave-requests/{id}/refuse", new { note = "旺季" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("refused", refused["status"]!.GetValue<string>());
        Assert.True((await Eligibility(tech, Today.AddDays(5)))["eligible"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Leave_over_a_day_with_an_installation_assigned_is_the_managers_to_approve()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var install = (await _given.Clerk.Post("/api/work-orders", new { type = "install", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "安装" }))
            .Expect(HttpStatusCode.Created).Id;
        (await _given.Dispatcher.Post($"/api/work-orders/{install}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);

        var leave = (await app.Api(user).Post("/api/leave-requests", new { from = D(Today.AddDays(10)), to = D(Today.AddDays(11)), reason = "看病" })).Expect(HttpStatusCode.Created).Body;
        Assert.True(leave["needsManager"]!.GetValue<bool>());
        var id = leave["id"]!.GetValue<long>();
        var supervisor = (await app.Api("supervisor").Post($"/api/leave-requests/{id}/approve")).Expect(HttpStatusCode.Forbidden).Body;
        Assert.Contains("经理", supervisor["detail"]!.GetValue<string>());
        (await _given.Manager.Post($"/api/leave-requests/{id}/approve")).Expect(HttpStatusCode.OK);
        Assert.Contains("onLeave", Codes((await Eligibility(tech, Today.AddDays(11)))["reasons"]!));
    }

    [Fact]
    public async Task Emergency_leave_phoned_in_is_recorded_by_the_supervisor_and_approved_at_once_but_a_technician_records_only_their_own()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var other = await _given.NewTechnician();
        (await app.Api(other.User).Post("/api/leave-requests", new { technicianId = tech, from = D(Today.AddDays(20)), to = D(Today.AddDays(20)), reason = "代请" }))
            .Expect(HttpStatusCode.Forbidden);
        var leave = (await app.Api("supervisor").Post("/api/leave-requests", new { technicianId = tech, from = D(Today.AddDays(20)), to = D(Today.AddDays(20)), reason = "急病,家属来电" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.True(leave["emergency"]!.GetValue<bool>());
        Assert.Equal("approved", leave["status"]!.GetValue<string>());
        Assert.Contains("onLeave", Codes((await Eligibility(tech, Today.AddDays(20)))["reasons"]!));
    }

    [Fact]
    public async Task SC34_a_first_refusal_of_an_assignment_fines_100_and_suspends_the_person_for_the_three_days_after_it()
    {
        var (_, tech, userId) = await _given.NewTechnician();
        var day = Today.AddDays(30);
        PenaltyCase fine;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().InForce(context, app.Clock.GetUtcNow(), default);
            var rule = policy.Rule("refuseWorkAssignmentInstaller")!;
            var branch = await context.Technicians.Where(t => t.Id == tech).Select(t => t.BranchId).SingleAsync();
            var proposed = await scope.ServiceProvider.GetRequiredService<ProposePenaltyCase>()
                .Handle(new PenaltyFinding(policy, rule, userId, branch, app.Clock.GetUtcNow(), new { note = "拒绝安装任务" }) { OccurredOn = day }, default);
            await context.SaveChangesAsync();
            fine = proposed.Case;
        }
        Assert.Equal(100m, fine.Amount);
        Assert.True((await Eligibility(tech, day))["eligible"]!.GetValue<bool>());
        foreach (var d in new[] { day.AddDays(1), day.AddDays(2), day.AddDays(3) })
            Assert.Equal(["suspended"], Codes((await Eligibility(tech, d))["reasons"]!));
        Assert.True((await Eligibility(tech, day.AddDays(4)))["eligible"]!.GetValue<bool>());
        var listed = (await _given.Manager.Get($"/api/suspensions?technicianId={tech}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Equal("PEN-61", Assert.Single(listed)!["ruleId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_managers_suspend_and_nobody_suspends_another_branchs_technician()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var body = new { technicianId = tech, from = D(Today), to = D(Today), reason = "测试" };
        (await app.Api("supervisor").Post("/api/suspensions", body)).Expect(HttpStatusCode.Forbidden);
        (await _given.Dispatcher.Post("/api/suspensions", body)).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(["from", "reason", "technicianId", "to"], (await _given.Manager.Post("/api/suspensions", new { })).Expect(HttpStatusCode.BadRequest).ErrorFields.Order());
        Assert.True((await Eligibility(tech, Today))["eligible"]!.GetValue<bool>());
    }
}
