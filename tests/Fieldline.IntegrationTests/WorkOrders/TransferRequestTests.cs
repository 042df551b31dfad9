using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class TransferRequestTestsOnSqlite(SqliteFixture app) : TransferRequestTests(app);
[Collection(PostgresCollection.Name)] public sealed class TransferRequestTestsOnPostgres(PostgresFixture app) : TransferRequestTests(app);

/// <summary>
/// DSP-11: a technician's transfer request is the dispatcher's to answer — transferred to the colleague asked for, or
/// declined with the reason, the technician told and the order kept — on the order page as over the API.
/// </summary>
public abstract class TransferRequestTests(AppFixture app)
{
    private readonly Given _given = new(app);

    /// <summary>An installation dispatched to a new technician, accepted, with a request to give it to another new one.</summary>
    private async Task<(long Id, Api Asker, (string User, int TechnicianId, int UserId) Colleague)> Asked()
    {
        var customer = await _given.Customer();
        var id = (await _given.Clerk.Post("/api/work-orders", new { type = "install", channel = "hotline", customerId = customer, productLine = "ac",
            productModel = "KFR-35GW", purchaseDate = "2026-11-20" })).Expect(HttpStatusCode.Created).Id;
        var asker = await _given.NewTechnician();
        var colleague = await _given.NewTechnician();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = asker.TechnicianId })).Expect(HttpStatusCode.OK);
        var tech = app.Api(asker.User);
        (await tech.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/transfer-request", new { technicianId = colleague.TechnicianId, reason = "下午要去另一个小区" })).Expect(HttpStatusCode.OK);
        return (id, tech, colleague);
    }

    [Fact]
    public async Task The_dispatcher_declines_a_transfer_request_with_a_reason_the_technician_keeps_the_order_and_is_told()
    {
        var (id, asker, colleague) = await Asked();
        var noReason = (await _given.Dispatcher.Post($"/api/work-orders/{id}/transfer-request/decline", new { reason = " " })).Expect(HttpStatusCode.BadRequest);
        Assert.NotNull(noReason.Body["errors"]!["reason"]);
        (await asker.Post($"/api/work-orders/{id}/transfer-request/decline", new { reason = "自己拒绝自己" })).Expect(HttpStatusCode.Forbidden);

        var order = (await _given.Dispatcher.Post($"/api/work-orders/{id}/transfer-request/decline", new { reason = "赵师傅下午已排满" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("accepted", order["status"]!.GetValue<string>());
        var declined = order["timeline"]!.AsArray().Last()!;
        Assert.Equal(("transferDeclined", "赵师傅下午已排满"), (declined["action"]!.GetValue<string>(), declined["data"]!["reason"]!.GetValue<string>()));
        await app.Tick(); // the outbox delivers the notice
        var told = (await asker.Get("/api/notifications?pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(told, n => n!["kind"]!.GetValue<string>() == "transferDeclined" && n["body"]!.GetValue<string>().Contains("赵师傅下午已排满", StringComparison.Ordinal));

        // Nothing is pending any more: declining again is a 409; the technician may ask again, and that one can be declined.
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/transfer-request/decline", new { reason = "再拒一次" })).Expect(HttpStatusCode.Conflict);

        // A later transfer to the same colleague is the dispatcher's own decision, not an approval of the declined request.
        var moved = (await _given.Dispatcher.Post($"/api/work-orders/{id}/transfer", new { technicianId = colleague.TechnicianId, reason = "赵师傅临时有空了" }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Null(moved["timeline"]!.AsArray().Last()!["data"]!["approvedRequestBy"]);
    }

    [Fact]
    public async Task The_order_page_shows_the_pending_request_to_the_dispatcher_who_transfers_it_to_the_colleague_asked_for()
    {
        var (id, _, colleague) = await Asked();
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        var page = await dispatcher.Get($"/orders/{id}");
        Assert.Contains("id=\"transfer-request\"", page, StringComparison.Ordinal);
        Assert.Contains("下午要去另一个小区", page, StringComparison.Ordinal);
        var version = System.Text.RegularExpressions.Regex.Match(page[page.IndexOf("id=\"approve-transfer\"", StringComparison.Ordinal)..], "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var done = await dispatcher.Post($"/orders/{id}?handler=ApproveTransfer", new Dictionary<string, string> { ["version"] = version });
        Assert.Contains("已按技师申请转单", done, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"transfer-request\"", done, StringComparison.Ordinal);
        var order = (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal((colleague.TechnicianId, "dispatched"), (order["technicianId"]!.GetValue<int>(), order["status"]!.GetValue<string>()));
        Assert.NotNull(order["timeline"]!.AsArray().Last()!["data"]!["approvedRequestBy"]);

        // The clerk, who may not transfer, never sees the request's buttons.
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        Assert.DoesNotContain("id=\"transfer-request\"", await clerk.Get($"/orders/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_on_the_order_page_without_a_reason_names_the_field_and_keeps_the_request()
    {
        var (id, asker, _) = await Asked();
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        var page = await dispatcher.Get($"/orders/{id}");
        var version = System.Text.RegularExpressions.Regex.Match(page[page.IndexOf("id=\"decline-transfer\"", StringComparison.Ordinal)..], "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var refused = await dispatcher.Post($"/orders/{id}?handler=DeclineTransfer", new Dictionary<string, string> { ["version"] = version, ["reason"] = "" });
        Assert.Contains("field-error", refused, StringComparison.Ordinal);
        Assert.Contains("id=\"transfer-request\"", refused, StringComparison.Ordinal);
        var declined = await dispatcher.Post($"/orders/{id}?handler=DeclineTransfer", new Dictionary<string, string> { ["version"] = version, ["reason"] = "人手不够" });
        Assert.Contains("已拒绝转单申请", declined, StringComparison.Ordinal);
        Assert.Equal("transferDeclined", (await asker.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["timeline"]!.AsArray().Last()!["action"]!.GetValue<string>());
    }
}
