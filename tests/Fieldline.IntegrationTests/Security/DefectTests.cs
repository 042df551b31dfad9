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
