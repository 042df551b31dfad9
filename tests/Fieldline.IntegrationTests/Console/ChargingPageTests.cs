using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class ChargingPageTestsOnSqlite(SqliteFixture app) : ChargingPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class ChargingPageTestsOnPostgres(PostgresFixture app) : ChargingPageTests(app);

/// <summary>
/// The order's charges page (/orders/{id}/charging): the supervisor's FEE-04 price approval before completion and the
/// managers' charge findings after it (FEE-08, PEN-87, PEN-10), driven as a person does, over HTTP with the antiforgery token.
/// </summary>
public abstract partial class ChargingPageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();

    private static string Version(string html) => VersionField().Match(html).Groups[1].Value;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The generic completion with one free-text line (no price code: FEE-04 wants a supervisor's approval for it).</summary>
    private static JsonObject CompletionWithFreeText(string description, decimal amount)
    {
        var body = JsonNode.Parse(JsonSerializer.Serialize(Given.CompleteBody(), JsonSerializerOptions.Web))!.AsObject();
        body["charges"] = JsonNode.Parse(JsonSerializer.Serialize(new[] { new { description, amount } }, JsonSerializerOptions.Web));
        return body;
    }

    /// <summary>
    /// An order completed by a technician of its own (nothing from a van): a finding fines its technician and may revoke
    /// the month's eligibility, which must not touch tech01, whom other tests pay and evaluate.
    /// </summary>
    private async Task<long> CompletedByANewTechnician(bool inWarranty) => await _given.CompletedBy(await _given.NewTechnician(), inWarranty, []);

    private Task<int> ApprovalsOf(long order) =>
        app.Db(async db => (await db.WorkOrders.AsNoTracking().Include(o => o.Timeline).SingleAsync(o => o.Id == order)).PriceApprovals.Count());

    private Task<int> RefundsOf(long order) => app.Db(db => db.CustomerRefunds.CountAsync(r => r.WorkOrderId == order));

    [Fact]
    public async Task A_supervisor_approves_a_free_text_price_on_the_order_page_and_the_technicians_completion_then_saves_it_flagged()
    {
        var order = await _given.OrderIn("inProgress", inWarranty: false);
        (await app.Api("tech01").Post($"/api/work-orders/{order}/complete", CompletionWithFreeText("高空作业费", 60.00m))).Expect(HttpStatusCode.BadRequest);

        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        Assert.Contains("id=\"charging-link\"", await supervisor.Get($"/orders/{order}"), StringComparison.Ordinal);
        var page = await supervisor.Get($"/orders/{order}/charging");
        Assert.Contains("id=\"approve-form\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"finding-form\"", page, StringComparison.Ordinal); // nothing collected yet
        var done = await supervisor.Post($"/orders/{order}/charging?handler=Approve", new Dictionary<string, string>
        {
            ["reference"] = "description", ["description"] = "高空作业费", ["amount"] = "60.00", ["reason"] = "外机在六楼外墙", ["version"] = Version(page),
        });
        Assert.Contains("已批准收费", done, StringComparison.Ordinal);
        Assert.Contains("外机在六楼外墙", done, StringComparison.Ordinal);
        Assert.Equal(1, await ApprovalsOf(order));

        var saved = (await app.Api("tech01").Post($"/api/work-orders/{order}/complete", CompletionWithFreeText("高空作业费", 60.00m))).Expect(HttpStatusCode.OK).Body["charges"]![0]!;
        Assert.Equal("外机在六楼外墙", saved["overrideReason"]!.GetValue<string>());
        var after = await supervisor.Get($"/orders/{order}/charging");
        Assert.Contains("FEE-04", after, StringComparison.Ordinal);
        Assert.Contains("id=\"approve-closed\"", after, StringComparison.Ordinal); // the work is done: no more approvals
        Assert.DoesNotContain("id=\"approve-form\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_price_approval_without_a_reason_or_with_an_amount_that_is_no_number_changes_nothing_and_names_the_fields()
    {
        var order = await _given.OrderIn("scheduled", inWarranty: false);
        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        var page = await supervisor.Get($"/orders/{order}/charging");
        var refused = await supervisor.Post($"/orders/{order}/charging?handler=Approve", new Dictionary<string, string>
        {
            ["reference"] = "description", ["description"] = "", ["amount"] = "六十", ["reason"] = "", ["version"] = Version(page),
        });
        Assert.Contains("id=\"error-amount\"", refused, StringComparison.Ordinal);
        Assert.Contains("id=\"error-reason\"", refused, StringComparison.Ordinal);
        Assert.Contains("id=\"error-description\"", refused, StringComparison.Ordinal);
        Assert.Contains("value=\"六十\"", refused, StringComparison.Ordinal); // what was typed stays
        Assert.Equal(0, await ApprovalsOf(order));
        Assert.Empty(LanguageCrawl.EnglishIn(refused));

        var both = await supervisor.Post($"/orders/{order}/charging?handler=Approve", new Dictionary<string, string>
        {
            ["reference"] = "priceCode", ["priceCode"] = "L-AC-VISIT", ["amount"] = "999.999", ["reason"] = "夜间", ["version"] = Version(page),
        });
        Assert.Contains("id=\"error-amount\"", both, StringComparison.Ordinal);
        Assert.Equal(0, await ApprovalsOf(order));
    }

    [Fact]
    public async Task Only_the_supervisor_and_managers_approve_a_price_a_technician_or_dispatcher_cannot_open_the_page_and_an_admin_sees_no_approval_form()
    {
        var order = await _given.OrderIn("accepted", inWarranty: false);
        var tech = await ConsoleSession.SignIn(app, "tech01");
        Assert.Equal(HttpStatusCode.Forbidden, await tech.Status($"/orders/{order}/charging"));
        Assert.DoesNotContain("charging-link", await tech.Get($"/orders/{order}"), StringComparison.Ordinal);
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.Equal(HttpStatusCode.Forbidden, await dispatcher.Status($"/orders/{order}/charging"));
        Assert.DoesNotContain("charging-link", await dispatcher.Get($"/orders/{order}"), StringComparison.Ordinal);

        var admin = await ConsoleSession.SignIn(app, "admin");
        var page = await admin.Get($"/orders/{order}/charging");
        Assert.DoesNotContain("id=\"approve-form\"", page, StringComparison.Ordinal);
        // A forged post is refused by the use case (admin is no approver) and changes nothing.
        var refused = await admin.Post($"/orders/{order}/charging?handler=Approve", new Dictionary<string, string>
        {
            ["reference"] = "description", ["description"] = "高空作业费", ["amount"] = "60.00", ["reason"] = "x", ["version"] = Version(page),
        });
        Assert.Contains("flash bad", refused, StringComparison.Ordinal);
        Assert.Equal(0, await ApprovalsOf(order));

        var manager = await ConsoleSession.SignIn(app, "manager");
        var mine = await manager.Get($"/orders/{order}/charging");
        await manager.Post($"/orders/{order}/charging?handler=Approve", new Dictionary<string, string>
        {
            ["reference"] = "description", ["description"] = "高空作业费", ["amount"] = "60.00", ["reason"] = "外机在六楼外墙", ["version"] = Version(mine),
        });
        Assert.Equal(1, await ApprovalsOf(order));
    }

    [Fact]
    public async Task A_manager_records_an_in_warranty_charge_as_a_finding_and_the_refund_of_50_waits_on_the_finance_page()
    {
        var order = await CompletedByANewTechnician(inWarranty: true);
        var manager = await ConsoleSession.SignIn(app, "manager");
        var page = await manager.Get($"/orders/{order}/charging");
        Assert.Contains("id=\"finding-form\"", page, StringComparison.Ordinal);
        var done = await manager.Post($"/orders/{order}/charging?handler=Finding", new Dictionary<string, string>
        {
            ["kind"] = "inWarrantyCharge", ["collected"] = "50.00", ["source"] = "returnVisit", ["note"] = "回访：客户称收了50元人工费",
        });
        Assert.Contains("PEN-87", done, StringComparison.Ordinal);
        Assert.Contains("¥50.00", done, StringComparison.Ordinal);
        var refund = await app.Db(db => db.CustomerRefunds.Where(r => r.WorkOrderId == order).Select(r => new { r.Id, r.Amount, r.RuleId }).SingleAsync());
        Assert.Equal((50.00m, "PEN-87"), (refund.Amount, refund.RuleId));

        var finance = await ConsoleSession.SignIn(app, "finance");
        var desk = await finance.Get("/finance");
        Assert.Contains($"id=\"refund-{refund.Id}\"", desk, StringComparison.Ordinal);
        Assert.Contains($"href=\"/orders/{order}\"", desk, StringComparison.Ordinal);
        Assert.Contains($"id=\"refund-{refund.Id}\"", await manager.Get("/finance"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_supervisor_records_260_collected_against_120_as_an_overcharge_and_240_is_refused_next_to_the_amount_collected()
    {
        var order = await CompletedByANewTechnician(inWarranty: false);
        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        await supervisor.Get($"/orders/{order}/charging");
        var atCap = await supervisor.Post($"/orders/{order}/charging?handler=Finding", new Dictionary<string, string>
        {
            ["kind"] = "overcharge", ["collected"] = "240.00", ["standardPrice"] = "120.00", ["source"] = "complaint",
        });
        Assert.Contains("id=\"error-collected\"", atCap, StringComparison.Ordinal);
        Assert.Empty(LanguageCrawl.EnglishIn(atCap));
        var noStandard = await supervisor.Post($"/orders/{order}/charging?handler=Finding", new Dictionary<string, string>
        {
            ["kind"] = "overcharge", ["collected"] = "260.00", ["standardPrice"] = "", ["source"] = "complaint",
        });
        Assert.Contains("id=\"error-standardPrice\"", noStandard, StringComparison.Ordinal);
        var wrongKind = await supervisor.Post($"/orders/{order}/charging?handler=Finding", new Dictionary<string, string>
        {
            ["kind"] = "inWarrantyCharge", ["collected"] = "50.00",
        });
        Assert.Contains("id=\"error-kind\"", wrongKind, StringComparison.Ordinal); // the order is out of warranty
        Assert.Equal(0, await RefundsOf(order));

        var done = await supervisor.Post($"/orders/{order}/charging?handler=Finding", new Dictionary<string, string>
        {
            ["kind"] = "overcharge", ["collected"] = "260.00", ["standardPrice"] = "120.00", ["source"] = "complaint", ["note"] = "投诉：线下收了260元",
        });
        Assert.Contains("¥140.00", done, StringComparison.Ordinal);
        Assert.Equal(140.00m, await app.Db(db => db.CustomerRefunds.Where(r => r.WorkOrderId == order).Select(r => r.Amount).SingleAsync()));
        Assert.Contains("id=\"approve-closed\"", done, StringComparison.Ordinal);
        Assert.Empty(LanguageCrawl.EnglishIn(done));
    }

    [Fact]
    public async Task A_technician_cannot_record_a_charge_finding_and_a_finding_on_an_open_order_is_not_offered()
    {
        var completed = await _given.OrderIn("completed", inWarranty: true);
        var tech = await ConsoleSession.SignIn(app, "tech01");
        Assert.Equal(HttpStatusCode.Forbidden, await tech.Status($"/orders/{completed}/charging"));
        var finance = await ConsoleSession.SignIn(app, "finance");
        Assert.Equal(HttpStatusCode.Forbidden, await finance.Status($"/orders/{completed}/charging"));
        Assert.Equal(0, await RefundsOf(completed));

        var open = await _given.OrderIn("inProgress", inWarranty: true);
        var manager = await ConsoleSession.SignIn(app, "manager");
        var page = await manager.Get($"/orders/{open}/charging");
        Assert.DoesNotContain("id=\"finding-form\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"finding-closed\"", page, StringComparison.Ordinal);
        Assert.Empty(LanguageCrawl.EnglishIn(page));
        Assert.Empty(LanguageCrawl.EnglishIn(await manager.Get($"/orders/{open}")));
    }
}
