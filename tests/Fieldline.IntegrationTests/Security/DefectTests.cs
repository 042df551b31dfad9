using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Security;

[Collection(SqliteCollection.Name)] public sealed class DefectTestsOnSqlite(SqliteFixture app) : DefectTests(app);
[Collection(PostgresCollection.Name)] public sealed class DefectTestsOnPostgres(PostgresFixture app) : DefectTests(app);

/// <summary>The security defects of issue #13, each proven from outside.</summary>
public abstract partial class DefectTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<(string Name, int Id, int Version)> NewUser(params string[] roles)
    {
        var name = $"u{Guid.NewGuid():N}"[..12];
        var created = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "新同事", password = AppFixture.Password, roles, branchId = 2 }))
            .Expect(HttpStatusCode.Created).Body;
        return (name, created["id"]!.GetValue<int>(), created["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_token_loses_its_rights_as_soon_as_the_user_is_demoted_or_deactivated()
    {
        var (name, id, version) = await NewUser("infoClerk");
        var clerk = app.Api(name); // the token is taken now, while the user is a clerk
        (await clerk.Get("/api/customers")).Expect(HttpStatusCode.OK);

        var demoted = (await app.Api("admin").Patch($"/api/users/{id}", new { roles = new[] { "technician" }, version })).Expect(HttpStatusCode.OK).Body;
        (await clerk.Get("/api/customers")).Expect(HttpStatusCode.Forbidden);

        (await app.Api("admin").Patch($"/api/users/{id}", new { active = false, version = demoted["version"]!.GetValue<int>() })).Expect(HttpStatusCode.OK);
        (await clerk.Get("/api/work-orders")).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_lead_registered_with_a_known_customers_phone_does_not_reveal_their_stored_name_or_address()
    {
        var phone = Given.Phone();
        (await _given.Clerk.Post("/api/customers", new { name = "隐私客户甲", phone, address = "长沙市天心区保密路99号" })).Expect(HttpStatusCode.Created);
        var reply = (await app.Api("tech01").Post("/api/work-orders/leads", new
        {
            type = "repair", customer = new { name = "李先生", phone, address = "不详" }, productLine = "ac", productModel = "KFR-26GW", purchaseDate = "2025-05-01", faultDescription = "漏水",
        })).Expect(HttpStatusCode.Created);
        var text = reply.Body.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.DoesNotContain("隐私客户甲", text);
        Assert.DoesNotContain("保密路", text);
        Assert.StartsWith("WO-", reply.Str("code"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [Fact]
    public async Task The_complaints_page_finds_an_order_code_only_among_the_callers_branch()
    {
        // A head-office order carrying the very code of one of Changsha's (codes are unique per branch only); head office
        // has the lowest branch id, so a lookup across branches meets it first.
        var headOffice = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var theirs = (await _given.Manager.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", productLine = "ac", productModel = "KFR-26GW", purchaseDate = "2025-05-01", faultDescription = "不制热",
            customer = new { name = "总部客户", phone = Given.Phone(), address = "长沙市岳塘区" }, branchId = headOffice,
        })).Expect(HttpStatusCode.Created).Body;
        var ours = await _given.NewRepairOrder();
        var code = ours["code"]!.GetValue<string>();
        var theirId = theirs["id"]!.GetValue<long>();
        await app.Db(db => db.WorkOrders.Where(o => o.Id == theirId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Code, code)));

        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "complaints", ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token }));
        token = TokenField().Match(await http.GetStringAsync("/complaints")).Groups[1].Value;
        var registered = await http.PostAsync("/complaints?handler=Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["OrderCode"] = code, ["Type"] = "lateContact", ["Level"] = "company", ["Description"] = "师傅迟到", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var complaints = (await app.Api("complaints").Get($"/api/complaints?workOrderId={ours["id"]}")).Body["items"]!.AsArray();
        Assert.Single(complaints);
    }
}

public abstract partial class DefectTests
{
    [Fact]
    public async Task A_first_write_of_a_branch_calendar_at_version_0_is_a_version_check_like_any_other()
    {
        var headOffice = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await app.Api("admin").Post("/api/branches", new { name = $"衡阳-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        Assert.Equal(0, (await _given.Manager.Get($"/api/branches/{branch}/calendar")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>());
        object Calendar(string end) => new { workStart = "09:00", workEnd = end, workingDays = new[] { 1, 2, 3, 4, 5 }, version = 0 };

        var first = (await _given.Manager.Put($"/api/branches/{branch}/calendar", Calendar("18:00"))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(1, first["version"]!.GetValue<int>());
        (await _given.Manager.Put($"/api/branches/{branch}/calendar", Calendar("17:00"))).Expect(HttpStatusCode.Conflict);
        Assert.Equal("18:00", (await _given.Manager.Get($"/api/branches/{branch}/calendar")).Body["workEnd"]!.GetValue<string>());
    }

    [Fact]
    public async Task Four_first_writes_of_a_branch_calendar_at_once_store_one_and_answer_the_others_409_never_500()
    {
        var headOffice = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await app.Api("admin").Post("/api/branches", new { name = $"岳阳-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        Assert.Equal(0, (await _given.Manager.Get($"/api/branches/{branch}/calendar")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>());
        var replies = await Task.WhenAll(new[] { "17:00", "17:30", "18:00", "18:30" }.Select(end =>
            _given.Manager.Put($"/api/branches/{branch}/calendar", new { workStart = "09:00", workEnd = end, workingDays = new[] { 1, 2, 3, 4, 5 }, version = 0 })));
        var saved = Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.All(replies.Where(r => !ReferenceEquals(r, saved)), r => r.Expect(HttpStatusCode.Conflict));
        var stored = (await _given.Manager.Get($"/api/branches/{branch}/calendar")).Body;
        Assert.Equal(saved.Str("workEnd"), stored["workEnd"]!.GetValue<string>());
        Assert.Equal(1, stored["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_NUL_or_other_control_character_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var phone = Given.Phone();
        var reply = (await _given.Clerk.Post("/api/customers", new { name = "王\0五", phone, address = "长沙市\u0007岳麓区" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("name", reply.ErrorFields);
        Assert.Contains("NUL", reply.Body["errors"]!["name"]![0]!.GetValue<string>());
        Assert.Equal(0, (await _given.Clerk.Get($"/api/customers?phone={phone}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());
        var query = (await _given.Clerk.Get("/api/customers?phone=139%00")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("phone", query.ErrorFields);
        // Line breaks and tabs are text, not control: a fault description keeps them.
        var customer = await _given.Customer();
        (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, await _given.Product(customer), "不制冷\n外机\t异响"))).Expect(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData('０')] // full-width
    [InlineData('٠')] // Arabic-Indic
    [InlineData('۰')] // extended Arabic-Indic (Persian, Urdu)
    public async Task Full_width_and_Arabic_Indic_digits_in_a_phone_number_are_stored_as_ASCII_digits(char zero)
    {
        var ascii = Given.Phone();
        var typed = string.Concat(ascii.Select(c => (char)(zero + (c - '0'))));
        var created = (await _given.Clerk.Post("/api/customers", new { name = "全角客户", phone = typed, address = "长沙市" })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(ascii, created["phone"]!.GetValue<string>());
        Assert.Equal(1, (await _given.Clerk.Get($"/api/customers?phone={ascii}")).Body["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Money_with_more_than_two_decimals_is_refused_naming_the_field()
    {
        var id = await _given.OrderIn("inProgress");
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!;
        body["charges"]![0]!["amount"] = 30.0049m;
        var reply = (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", body)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("charges[0].amount", reply.ErrorFields);
        Assert.Equal("inProgress", (await _given.Manager.Get($"/api/work-orders/{id}")).Str("status"));
    }

    [Theory]
    [InlineData("9999-01-01")]
    [InlineData("0001-01-01")]
    public async Task A_date_outside_1900_to_2100_is_refused_naming_the_field(string date)
    {
        var customer = await _given.Customer();
        var reply = (await _given.Clerk.Post($"/api/customers/{customer}/products", new
        {
            productLine = "ac", brand = "格力", model = "KFR-35GW", serialNumber = $"SN{Guid.NewGuid():N}"[..20], purchaseDate = date, warrantyMonths = 72,
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("purchaseDate", reply.ErrorFields);
    }
}
