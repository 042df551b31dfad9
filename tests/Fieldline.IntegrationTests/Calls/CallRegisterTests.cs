using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Calls;

[Collection(SqliteCollection.Name)] public sealed class CallRegisterTestsOnSqlite(SqliteFixture app) : CallRegisterTests(app);
[Collection(PostgresCollection.Name)] public sealed class CallRegisterTestsOnPostgres(PostgresFixture app) : CallRegisterTests(app);

/// <summary>
/// 来电登记 (INT-04/05/10/21): every call, letter and visit is recorded with what came of it — solved on the phone, an
/// order (by its number), or handed to the department responsible, whose people are told; an urgent one reaches the
/// managers at once. The register is the branch's own, searchable by the caller's number however it was typed.
/// </summary>
public abstract class CallRegisterTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999);

    private async Task<JsonArray> Notifications(string user, string kind) =>
        (await app.Api(user).Get($"/api/notifications?kind={kind}&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    [Fact]
    public async Task A_clerk_records_calls_with_their_outcome_an_urgent_one_reaches_the_manager_and_a_handed_on_one_the_department()
    {
        var phone = NewPhone();
        var solved = (await _given.Clerk.Post("/api/calls", new { kind = "phone", callerName = "王女士", callerPhone = phone, summary = "咨询滤芯多久换一次", outcome = "solvedByPhone" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal(("solvedByPhone", phone, false), (solved["outcome"]!.GetValue<string>(), solved["callerPhone"]!.GetValue<string>(), solved["urgent"]!.GetValue<bool>()));

        var order = await _given.NewRepairOrder();
        var withOrder = (await _given.Clerk.Post("/api/calls", new { callerPhone = phone, summary = "空调漏水", outcome = "orderCreated", workOrderCode = order["code"]!.GetValue<string>() }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal(order["id"]!.GetValue<long>(), withOrder["workOrderId"]!.GetValue<long>());

        await app.Tick(); // what earlier tests queued is delivered first
        var managerBefore = (await Notifications("manager", "urgentCall")).Count;
        var complaintsBefore = (await Notifications("complaints", "callForwarded")).Count;
        (await _given.Clerk.Post("/api/calls", new { callerPhone = phone, summary = "客户投诉师傅乱收费，情绪激动", outcome = "forwarded", forwardedTo = "complaintHandler", urgent = true }))
            .Expect(HttpStatusCode.Created);
        await app.Tick();
        Assert.Equal(managerBefore + 1, (await Notifications("manager", "urgentCall")).Count);
        Assert.Equal(complaintsBefore + 1, (await Notifications("complaints", "callForwarded")).Count);

        // The register finds all three by the number, typed with spaces and a country-style dash; another branch's reader sees none.
        var typed = $"{phone[..3]} {phone[3..7]}-{phone[7..]}";
        var found = (await _given.Clerk.Get($"/api/calls?phone={Uri.EscapeDataString(typed)}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(3, found["total"]!.GetValue<int>());
        Assert.Equal(["forwarded", "orderCreated", "solvedByPhone"], found["items"]!.AsArray().Select(c => c!["outcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_call_without_what_its_outcome_needs_is_refused_naming_the_field_and_nothing_is_recorded()
    {
        var phone = NewPhone();
        var missing = (await _given.Clerk.Post("/api/calls", new { callerPhone = phone, summary = "", outcome = "forwarded" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("summary", missing.ErrorFields);
        Assert.Contains("forwardedTo", missing.ErrorFields);
        var noOrder = (await _given.Clerk.Post("/api/calls", new { callerPhone = phone, summary = "报修", outcome = "orderCreated", workOrderCode = "NO-SUCH-ORDER" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("workOrderCode", noOrder.ErrorFields);
        var badPhone = (await _given.Clerk.Post("/api/calls", new { callerPhone = "12345", summary = "咨询", outcome = "solvedByPhone" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("callerPhone", badPhone.ErrorFields);
        var badOutcome = (await _given.Clerk.Post("/api/calls", new { callerPhone = phone, summary = "咨询", outcome = "ignored" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("outcome", badOutcome.ErrorFields);
        Assert.Equal(0, (await _given.Clerk.Get($"/api/calls?phone={phone}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());

        // A letter needs no number; a technician may neither record nor read the register.
        (await _given.Clerk.Post("/api/calls", new { kind = "letter", callerName = "李先生", summary = "来信表扬师傅", outcome = "open" })).Expect(HttpStatusCode.Created);
        (await app.Api("tech01").Post("/api/calls", new { callerPhone = phone, summary = "咨询", outcome = "solvedByPhone" })).Expect(HttpStatusCode.Forbidden);
        (await app.Api("tech01").Get("/api/calls")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_supervisor_records_a_call_on_the_console_page_in_Chinese_and_it_is_in_the_days_register()
    {
        var phone = NewPhone();
        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        var form = await supervisor.Get("/calls");
        Assert.Contains("登记来电", form);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(form));
        var refused = await supervisor.Post("/calls", [new("Kind", "phone"), new("CallerPhone", phone), new("Summary", ""), new("Outcome", "solvedByPhone")]);
        Assert.Contains("field-error", refused);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(refused));
        var saved = await supervisor.Post("/calls", [new("Kind", "phone"), new("CallerName", "节假日来电客户"), new("CallerPhone", phone), new("Summary", "国庆期间净水器漏水"), new("Outcome", "open"), new("Urgent", "true")]);
        Assert.Contains("来电已登记", saved);
        Assert.Contains("国庆期间净水器漏水", saved);
        Assert.Contains("紧急", saved);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(saved));
    }
}
