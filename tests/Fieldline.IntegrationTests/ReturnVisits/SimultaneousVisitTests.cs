using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.ReturnVisits;

[Collection(SqliteCollection.Name)] public sealed class SimultaneousVisitTestsOnSqlite(SqliteFixture app) : SimultaneousVisitTests(app);
[Collection(PostgresCollection.Name)] public sealed class SimultaneousVisitTestsOnPostgres(PostgresFixture app) : SimultaneousVisitTests(app);

/// <summary>
/// Issue 16's two gaps: the customer answering through the rating link at the moment the agent records the call (once a
/// 500 from the unique attempt number), and the queue's filters answering an empty list for a branch the caller may not see.
/// </summary>
public abstract partial class SimultaneousVisitTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Visitor => app.Api("visitor");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    private Task<int> VisitsOf(long orderId) => app.Db(db => db.ReturnVisits.AsNoTracking().CountAsync(v => v.WorkOrderId == orderId));

    [Fact]
    public async Task The_customer_answering_through_the_link_while_the_agent_records_the_call_counts_exactly_one_visit_and_the_other_is_told_never_a_500()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = await _given.OrderIn("completed");
            var url = (await app.Api("tech01").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.OK).Body["url"]!.GetValue<string>();
            var phone = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            var token = TokenField().Match(await phone.GetStringAsync(url)).Groups[1].Value;
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Answers[arrivedOnTime]"] = "yes", ["Satisfaction"] = "4", ["__RequestVerificationToken"] = token,
            });

            // Both at once, no sleeps: the customer's form and the agent's call.
            var customerTask = phone.PostAsync(url, form);
            var agentTask = Visitor.Post($"/api/work-orders/{id}/return-visit", new { outcome = "reached", satisfaction = 5, remarks = "电话回访" });
            await Task.WhenAll(customerTask, agentTask);
            var (customer, agent) = (await customerTask, await agentTask);

            var page = await customer.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
            Assert.Contains(agent.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
            var customerWon = page.Contains("id=\"thanks\"", StringComparison.Ordinal);
            // Exactly one of them counts: the agent's 200 or the customer's thanks; the other reads that it was recorded already.
            Assert.NotEqual(customerWon, agent.Status == HttpStatusCode.OK);
            if (customerWon)
                Assert.Matches(Chinese(), agent.Body["detail"]!.GetValue<string>());
            else
                Assert.Contains("id=\"answered\"", page);
            Assert.Equal(1, await VisitsOf(id));
            var order = (await Visitor.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("visited", customerWon ? 4 : 5), (order["status"]!.GetValue<string>(), order["satisfaction"]!.GetValue<int>()));
        }
    }

    [Fact]
    public async Task Two_calls_recorded_for_one_order_at_once_save_one_visit_and_the_other_gets_a_409_in_Chinese()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = await _given.OrderIn("completed");
            var both = await Task.WhenAll(
                Visitor.Post($"/api/work-orders/{id}/return-visit", new { outcome = "reached", satisfaction = 5 }),
                Visitor.Post($"/api/work-orders/{id}/return-visit", new { outcome = "reached", satisfaction = 4 }));
            Assert.Single(both, r => r.Status == HttpStatusCode.OK);
            var loser = Assert.Single(both, r => r.Status != HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Conflict, loser.Status);
            Assert.Matches(Chinese(), loser.Body["detail"]!.GetValue<string>());
            Assert.Equal(1, await VisitsOf(id));
        }
    }

    [Fact]
    public async Task The_due_queue_answers_404_for_a_branch_or_technician_the_agent_may_not_see_and_400_naming_the_filter_that_is_malformed()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var other = (await admin.Post("/api/branches", new { name = $"回访-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" }))
            .Expect(HttpStatusCode.Created).Id;
        var name = $"rt{Guid.NewGuid():N}"[..12];
        var user = (await admin.Post("/api/users", new { username = name, displayName = "外地师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId = other }))
            .Expect(HttpStatusCode.Created).Id;
        var stranger = (await _given.Manager.Post("/api/technicians", new { userId = user, skills = new[] { "ac.repair" }, onDuty = true, alreadyEmployed = true }))
            .Expect(HttpStatusCode.Created).Id;
        var own = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();

        // The Changsha agent: another branch, or one that does not exist, is not an empty queue but a 404; so is its technician.
        (await Visitor.Get($"/api/return-visits/due?branchId={other}")).Expect(HttpStatusCode.NotFound);
        (await Visitor.Get($"/api/return-visits/due?branchId={headOffice}")).Expect(HttpStatusCode.NotFound);
        (await Visitor.Get("/api/return-visits/due?branchId=987654")).Expect(HttpStatusCode.NotFound);
        (await Visitor.Get($"/api/return-visits/due?technicianId={stranger}")).Expect(HttpStatusCode.NotFound);
        (await Visitor.Get("/api/return-visits/due?technicianId=987654")).Expect(HttpStatusCode.NotFound);
        (await Visitor.Get($"/api/return-visits/due?branchId={own}")).Expect(HttpStatusCode.OK);
        (await Visitor.Get($"/api/return-visits/due?technicianId={await _given.TechnicianId("tech01")}")).Expect(HttpStatusCode.OK);

        // Malformed: 400 naming the field, in Chinese.
        var bad = (await Visitor.Get("/api/return-visits/due?branchId=abc")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["branchId"], bad.ErrorFields);
        Assert.Contains("网点", bad.Body["errors"]!["branchId"]![0]!.GetValue<string>());
        Assert.Equal(["technicianId"], (await Visitor.Get("/api/return-visits/due?technicianId=1.5")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["branchId"], (await Visitor.Get("/api/return-visits/due?branchId=99999999999")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["type"], (await Visitor.Get("/api/return-visits/due?type=1")).Expect(HttpStatusCode.BadRequest).ErrorFields);

        // Head office (the manager) sees every branch: the other branch's queue is there (empty), a branch that does not exist is not.
        (await _given.Manager.Get($"/api/return-visits/due?branchId={other}")).Expect(HttpStatusCode.OK);
        (await _given.Manager.Get($"/api/return-visits/due?technicianId={stranger}")).Expect(HttpStatusCode.OK);
        (await _given.Manager.Get("/api/return-visits/due?branchId=987654")).Expect(HttpStatusCode.NotFound);
    }
}
