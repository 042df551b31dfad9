using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class DraftIntakeTestsOnSqlite(SqliteFixture app) : DraftIntakeTests(app);
[Collection(PostgresCollection.Name)] public sealed class DraftIntakeTestsOnPostgres(PostgresFixture app) : DraftIntakeTests(app);

/// <summary>
/// SC-01 (INT-03): a request the caller cannot yet describe in full is kept as a draft; it cannot be dispatched, and
/// completing it names every field the policy still requires, until it is ready for dispatch.
/// </summary>
public abstract class DraftIntakeTests(AppFixture app)
{
    private readonly Given _given = new(app);

    /// <summary>王女士's call: name, address, phone and model, but no purchase date and no fault description.</summary>
    private async Task<JsonNode> Draft()
    {
        var body = new
        {
            type = "repair", channel = "hotline", productLine = "purifier", productModel = "JS-200", draft = true,
            customer = new { name = "王女士", phone = Given.Phone(), address = "长春市朝阳区测试路 8 号" },
        };
        return (await _given.Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.Created).Body;
    }

    private static IEnumerable<string> ClockNames(JsonNode order) => order["clocks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());

    [Fact]
    public async Task SC01_a_request_without_purchase_date_and_fault_is_saved_only_as_a_draft_that_cannot_be_dispatched()
    {
        var draft = await Draft();
        var id = draft["id"]!.GetValue<long>();
        Assert.Equal("draft", draft["status"]!.GetValue<string>());
        Assert.StartsWith("WO-", draft["code"]!.GetValue<string>());
        // INT-13's 24 hours run from the call; INT-14's 30 minutes start when there is something to dispatch.
        Assert.Contains("processing", ClockNames(draft));
        Assert.DoesNotContain("dispatch", ClockNames(draft));

        var tech = await _given.TechnicianId("tech01");
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict);

        var refused = (await _given.Clerk.Post($"/api/work-orders/{id}/submit", new { })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["faultDescription", "purchaseDate"], refused.ErrorFields.Order().ToArray());
        var still = (await _given.Clerk.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("draft", still["status"]!.GetValue<string>());
        Assert.Equal(draft["version"]!.GetValue<int>(), still["version"]!.GetValue<int>());

        var partly = (await _given.Clerk.Post($"/api/work-orders/{id}/submit", new { purchaseDate = "2024-03-01" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["faultDescription"], partly.ErrorFields);

        var ready = (await _given.Clerk.Post($"/api/work-orders/{id}/submit", new { purchaseDate = "2024-03-01", faultDescription = "净水器漏水" }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal("new", ready["status"]!.GetValue<string>());
        Assert.Equal("净水器漏水", ready["faultDescription"]!.GetValue<string>());
        Assert.Equal("2024-03-01", ready["product"]!["purchaseDate"]!.GetValue<string>());
        Assert.Contains("dispatch", ClockNames(ready));
        Assert.Contains(ready["timeline"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "submitted");

        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC01_an_urgent_mark_given_when_the_draft_is_completed_reports_the_order_upward()
    {
        var id = (await Draft())["id"]!.GetValue<long>();
        var notices = () => app.Db(db => db.Outbox.CountAsync(n => n.WorkOrderId == id && n.Kind == "urgentOrder"));
        Assert.Equal(0, await notices());

        var ready = (await _given.Clerk.Post($"/api/work-orders/{id}/submit", new { purchaseDate = "2024-03-01", faultDescription = "漏水", priority = "urgent" }))
            .Expect(HttpStatusCode.OK).Body;

        Assert.Equal("urgent", ready["priority"]!.GetValue<string>());
        Assert.True(await notices() > 0);
    }

    [Fact]
    public async Task A_draft_still_needs_the_caller_and_how_to_reach_them()
    {
        var reply = (await _given.Clerk.Post("/api/work-orders", new { type = "repair", channel = "hotline", productLine = "purifier", draft = true }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("customerId", reply.ErrorFields);
    }

    [Fact]
    public async Task Submitting_an_order_that_is_no_draft_is_an_illegal_transition()
    {
        var order = await _given.NewRepairOrder();
        var reply = (await _given.Clerk.Post($"/api/work-orders/{order["id"]}/submit", new { faultDescription = "x" })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("new", reply.Body["currentStatus"]!.GetValue<string>());
        Assert.Equal("submit", reply.Body["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_technician_cannot_complete_a_draft()
    {
        var id = (await Draft())["id"]!.GetValue<long>();
        (await app.Api("tech01").Post($"/api/work-orders/{id}/submit", new { purchaseDate = "2024-03-01", faultDescription = "漏水" }))
            .Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_clerk_saves_a_draft_on_the_intake_page_and_completes_it_on_the_order_page_in_Chinese()
    {
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        await clerk.Get("/intake");
        var page = await clerk.Post("/intake?handler=Draft", [
            new("Phone", Given.Phone()), new("NewName", "王女士"), new("NewAddress", "长春市朝阳区测试路 8 号"), new("Type", "repair"),
            new("Channel", "hotline"), new("ProductLine", "purifier"), new("ProductModel", "JS-200")]);
        Assert.Contains("已保存", page);
        Assert.Contains("待补全的草稿", page);
        Assert.Empty(LanguageCrawl.EnglishIn(page));
        var id = long.Parse(System.Text.RegularExpressions.Regex.Match(page, "id=\"created-link\" href=\"/orders/(\\d+)\"").Groups[1].Value);

        var order = await clerk.Get($"/orders/{id}");
        Assert.Contains("草稿（待补全）", order);
        Assert.Contains("id=\"draft-missing\"", order);
        Assert.Contains("购机日期", order);
        Assert.Empty(LanguageCrawl.EnglishIn(order));
        var version = System.Text.RegularExpressions.Regex.Match(order, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;

        var refused = await clerk.Post($"/orders/{id}?handler=Submit", [new("version", version), new("productModel", "JS-200")]);
        Assert.Contains("class=\"field-error\"", refused);
        Assert.Empty(LanguageCrawl.EnglishIn(refused));

        var done = await clerk.Post($"/orders/{id}?handler=Submit", [
            new("version", version), new("productModel", "JS-200"), new("purchaseDate", "2024-03-01"), new("faultDescription", "净水器漏水")]);
        Assert.Contains("资料已补全", done);
        Assert.Contains("待派工", done);
        Assert.DoesNotContain("id=\"draft-card\"", done);
    }
}
