using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class ConsolePageTestsOnSqlite(SqliteFixture app) : ConsolePageTests(app);
[Collection(PostgresCollection.Name)] public sealed class ConsolePageTestsOnPostgres(PostgresFixture app) : ConsolePageTests(app);

/// <summary>The console's pages at the HTTP level: cookie sign-in, CSRF, role and branch checks, the same use cases as the API.</summary>
public abstract partial class ConsolePageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private sealed record Browser(HttpClient Http, string Token);

    /// <summary>A cookie-keeping client signed in as <paramref name="user"/>, with a fresh antiforgery token.</summary>
    private async Task<Browser> SignIn(string user)
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await http.GetStringAsync("/login");
        var token = TokenField().Match(form).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await http.GetStringAsync("/orders");
        return new Browser(http, TokenField().Match(page).Groups[1].Value);
    }

    [Fact]
    public async Task Console_pages_need_a_signed_in_user_and_the_API_does_not_take_the_console_cookie()
    {
        var anonymous = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var board = await anonymous.GetAsync("/board");
        Assert.Equal(HttpStatusCode.Redirect, board.StatusCode);
        Assert.StartsWith("/login", board.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));

        var clerk = await SignIn("clerk");
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.GetAsync("/intake")).StatusCode);
        // A cookie is not a bearer token: a page cannot be used to call the API cross-site.
        Assert.Equal(HttpStatusCode.Unauthorized, (await clerk.Http.GetAsync("/api/work-orders")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_does_not_sign_in()
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var reply = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "clerk", ["Password"] = "wrong-password", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("用户名或密码错误", await reply.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/intake")).StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var order = await _given.NewRepairOrder();
        var id = order["id"]!.GetValue<long>();
        var dispatcher = await SignIn("dispatcher");
        var forged = await dispatcher.Http.PostAsync("/board?handler=Assign", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["orderId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["technicianId"] = (await _given.TechnicianId("tech01")).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("new", (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Str("status"));

        var real = await dispatcher.Http.PostAsync("/board?handler=Assign", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["orderId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["technicianId"] = (await _given.TechnicianId("tech01")).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = dispatcher.Token,
        }));
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal("dispatched", (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Str("status"));
    }

    [Fact]
    public async Task Roles_decide_which_pages_open_and_a_technician_sees_only_their_own_orders()
    {
        var mine = await _given.OrderIn("dispatched", "tech01");
        var theirs = await _given.OrderIn("dispatched", "tech02");
        var tech = await SignIn("tech01");
        Assert.Equal(HttpStatusCode.OK, (await tech.Http.GetAsync($"/orders/{mine}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tech.Http.GetAsync($"/orders/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.Http.GetAsync("/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.Http.GetAsync("/intake")).StatusCode);

        var manager = await SignIn("manager");
        var penalties = await manager.Http.GetStringAsync("/manage/penalties");
        Assert.DoesNotContain("flash bad", penalties); // an empty filter is no error

        var clerk = await SignIn("clerk");
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Http.GetAsync("/manage/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Http.GetAsync("/manage/penalties")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.GetAsync($"/orders/{theirs}")).StatusCode);
    }

    [Fact]
    public async Task The_users_page_finds_staff_by_part_of_their_name_however_many_there_are()
    {
        var name = $"查找{Guid.NewGuid():N}"[..10];
        var username = $"u{Guid.NewGuid():N}"[..12];
        (await app.Api("admin").Post("/api/users", new { username, displayName = name, password = AppFixture.Password, roles = new[] { "technician" }, branchId = 2 }))
            .Expect(HttpStatusCode.Created);
        var manager = await SignIn("manager");
        var found = await manager.Http.GetStringAsync($"/manage/users?q={Uri.EscapeDataString(name[2..8])}");
        Assert.Contains(name, found);
        Assert.Contains(username, await manager.Http.GetStringAsync($"/manage/users?q={username.ToUpperInvariant()}"));
        Assert.DoesNotContain(name, await manager.Http.GetStringAsync("/manage/users?q=nobody-by-this-name"));
        var api = (await app.Api("admin").Get($"/api/users?q={Uri.EscapeDataString(name)}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(1, api["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_users_page_pages_past_the_first_hundred_to_the_last_match()
    {
        var prefix = $"pg{Guid.NewGuid():N}"[..8];
        await app.Db(async db =>
        {
            for (var i = 0; i < 105; i++)
                db.Users.Add(new Web.Features.Identity.User { UserName = $"{prefix}{i:D3}", DisplayName = "翻页师傅", BranchId = 2, Roles = ["technician"] });
            return await db.SaveChangesAsync();
        });
        var manager = await SignIn("manager");
        var first = await manager.Http.GetStringAsync($"/manage/users?q={prefix}");
        Assert.Contains($"{prefix}099", first, StringComparison.Ordinal);
        Assert.DoesNotContain($"{prefix}100", first, StringComparison.Ordinal);
        Assert.Contains("1 / 2", first, StringComparison.Ordinal);
        var second = await manager.Http.GetStringAsync($"/manage/users?q={prefix}&p=2");
        Assert.Contains($"{prefix}104", second, StringComparison.Ordinal);
        Assert.DoesNotContain($"{prefix}099", second, StringComparison.Ordinal);
        Assert.Contains("2 / 2", second, StringComparison.Ordinal);
        Assert.Contains($"q={prefix}&amp;p=1", second, StringComparison.Ordinal); // the way back keeps the search
    }

    [Fact]
    public async Task A_manager_sets_a_staff_members_report_e_mail_on_the_users_page_and_a_malformed_address_changes_nothing()
    {
        var username = $"e{Guid.NewGuid():N}"[..12];
        var user = (await app.Api("admin").Post("/api/users", new { username, displayName = "邮箱" + username[..4], password = AppFixture.Password, roles = new[] { "dispatcher" }, branchId = 2 }))
            .Expect(HttpStatusCode.Created).Body;
        var id = user["id"]!.GetValue<int>();
        var manager = await SignIn("manager");
        var page = await manager.Http.GetStringAsync($"/manage/users?q={username}");
        var token = TokenField().Match(page).Groups[1].Value;
        async Task<HttpResponseMessage> Save(string email, int version) => await manager.Http.PostAsync("/manage/users?handler=Update", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["id"] = $"{id}", ["version"] = $"{version}", ["roles"] = "dispatcher", ["active"] = "true", ["email"] = email, ["__RequestVerificationToken"] = token }));
        async Task<JsonNode> Read() => (await app.Api("admin").Get($"/api/users?q={username}")).Expect(HttpStatusCode.OK).Body["items"]![0]!;

        var bad = await Save("not-an-address", user["version"]!.GetValue<int>());
        Assert.Contains("电子邮件", await bad.Content.ReadAsStringAsync()); // the refusal names the field, in Chinese
        Assert.Null((await Read())["email"]?.GetValue<string>());

        Assert.Equal(HttpStatusCode.Redirect, (await Save("zhang.wei@example.cn", user["version"]!.GetValue<int>())).StatusCode);
        Assert.Equal("zhang.wei@example.cn", (await Read())["email"]!.GetValue<string>());
        Assert.Contains("zhang.wei@example.cn", await manager.Http.GetStringAsync($"/manage/users?q={username}"));
    }

    [Fact]
    public async Task Intake_errors_stand_next_to_their_fields_in_Chinese_and_keep_what_was_typed()
    {
        var clerk = await SignIn("clerk");
        var phone = Given.Phone();
        var reply = await clerk.Http.PostAsync("/intake", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Phone"] = phone, ["NewName"] = "", ["NewAddress"] = "长沙市雨花区 1 号", ["Type"] = "repair", ["Channel"] = "hotline",
            ["ProductLine"] = "ac", ["FaultDescription"] = "<b>不制冷</b>", ["__RequestVerificationToken"] = clerk.Token,
        }));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var html = await reply.Content.ReadAsStringAsync();
        Assert.Contains("请填写客户姓名", html);
        Assert.Contains($"value=\"{phone}\"", html);
        Assert.Contains("长沙市雨花区 1 号", html);
        Assert.Contains("&lt;b&gt;不制冷&lt;/b&gt;", html); // typed text comes back encoded
        Assert.Equal(0, (await _given.Clerk.Get($"/api/work-orders?q={phone}")).Body["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_new_caller_is_registered_inline_and_the_order_is_created_through_the_same_use_case()
    {
        var clerk = await SignIn("clerk");
        var phone = Given.Phone();
        var lookup = await clerk.Http.GetStringAsync($"/intake?handler=Caller&phone={phone}");
        Assert.Contains("id=\"new-customer\"", lookup);
        var reply = await clerk.Http.PostAsync("/intake", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Phone"] = phone, ["NewName"] = "钱先生", ["NewAddress"] = "长沙市雨花区劳动东路 9 号", ["Type"] = "install", ["Channel"] = "hotline",
            ["ProductLine"] = "purifier", ["ProductModel"] = "JS-200", ["PurchaseDate"] = "2026-10-01", ["Angry"] = "true", ["__RequestVerificationToken"] = clerk.Token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        var found = (await _given.Clerk.Get($"/api/work-orders?q={phone}")).Body["items"]!.AsArray().Single()!;
        Assert.Equal("install", found["type"]!.GetValue<string>());
        Assert.True(found["angryCustomer"]!.GetValue<bool>());
        (await app.Api("complaints").Post("/api/complaints", new
        {
            type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", description = "安装师傅态度差", workOrderId = found["id"]!.GetValue<long>(),
        })).Expect(HttpStatusCode.Created);
        var again = await clerk.Http.GetStringAsync($"/intake?handler=Caller&phone={phone}");
        Assert.Contains("钱先生", again);
        Assert.Contains(found["code"]!.GetValue<string>(), again);
        Assert.Contains("id=\"past-complaints\"", again); // the caller's complaints are on the clerk's screen too
        Assert.Contains("服务态度", again);
    }

    [Fact]
    public async Task A_returning_caller_has_their_latest_product_chosen_and_is_warned_of_its_open_order()
    {
        var clerk = await SignIn("clerk");
        var phone = Given.Phone();
        var customer = await _given.Customer(phone);
        var older = await _given.Product(customer, purchased: new DateOnly(2024, 5, 1));
        var latest = await _given.Product(customer, purchased: new DateOnly(2026, 6, 1));

        var first = await clerk.Http.GetStringAsync($"/intake?handler=Caller&phone={phone}");
        Assert.Matches($"value=\"{latest}\" id=\"product-\\d+\" checked=\"checked\"", first);
        Assert.DoesNotMatch($"value=\"{older}\" id=\"product-\\d+\" checked", first);
        Assert.DoesNotContain("该产品已有未完结工单", first);

        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, latest))).Expect(HttpStatusCode.Created).Body;
        var again = await clerk.Http.GetStringAsync($"/intake?handler=Caller&phone={phone}");
        Assert.Contains("该产品已有未完结工单", again);
        Assert.Contains(order["code"]!.GetValue<string>(), again);

        (await _given.Dispatcher.Post($"/api/work-orders/{order["id"]}/cancel", new { reason = "客户重复报修" })).Expect(HttpStatusCode.OK);
        var afterCancel = await clerk.Http.GetStringAsync($"/intake?handler=Caller&phone={phone}");
        Assert.DoesNotContain("该产品已有未完结工单", afterCancel);
    }

    [GeneratedRegex("name=\"accept\" value=\"(\\d+):(\\d+)\"")]
    private static partial Regex Proposal();

    [Fact]
    public async Task Plan_the_day_proposes_with_explanations_and_dispatches_the_accepted_proposals()
    {
        var customer = (await _given.Clerk.Post("/api/customers", new { name = "排程客户", phone = Given.Phone(), address = "长沙市岳麓区", location = new { lat = 28.19, lng = 112.95 } }))
            .Expect(HttpStatusCode.Created).Id;
        var serial = await _given.Product(customer);
        // A working day ahead, whatever time the shared test clock shows now (other tests move it).
        var start = app.Next(DayOfWeek.Tuesday, 10, 0);
        var day = DateOnly.FromDateTime(start.Date);
        (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "不制冷",
            requestedWindow = new { start, end = start.AddHours(2) },
        })).Expect(HttpStatusCode.Created);
        var dispatcher = await SignIn("dispatcher");
        var planned = await dispatcher.Http.PostAsync("/board/plan?handler=Plan", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["date"] = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = dispatcher.Token,
        }));
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        var html = await planned.Content.ReadAsStringAsync();
        var proposal = Proposal().Matches(html).Select(m => (Order: long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Tech: m.Groups[2].Value)).First();

        var accepted = await dispatcher.Http.PostAsync("/board/plan?handler=Accept", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["accept"] = $"{proposal.Order}:{proposal.Tech}", ["__RequestVerificationToken"] = dispatcher.Token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var now = (await _given.Dispatcher.Get($"/api/work-orders/{proposal.Order}")).Body;
        Assert.Equal("dispatched", now["status"]!.GetValue<string>());
        Assert.Equal(int.Parse(proposal.Tech, System.Globalization.CultureInfo.InvariantCulture), now["technicianId"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_complaint_desk_registers_a_complaint_about_an_order_and_verifies_it()
    {
        var order = await _given.NewRepairOrder();
        var desk = await SignIn("complaints");
        var bad = await desk.Http.PostAsync("/complaints?handler=Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["OrderCode"] = "WO-00000000-9999", ["Type"] = "staffAttitudeOrNegligence", ["Level"] = "company", ["Description"] = "态度差",
            ["__RequestVerificationToken"] = desk.Token,
        }));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode); // an unknown order code: the form comes back with the error, nothing registered
        Assert.Contains("WO-00000000-9999", await bad.Content.ReadAsStringAsync());

        var registered = await desk.Http.PostAsync("/complaints?handler=Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["OrderCode"] = order["code"]!.GetValue<string>(), ["Type"] = "staffAttitudeOrNegligence", ["Level"] = "company", ["Description"] = "师傅态度差",
            ["__RequestVerificationToken"] = desk.Token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var complaint = (await app.Api("complaints").Get($"/api/complaints?workOrderId={order["id"]}")).Body["items"]!.AsArray().Single()!;
        Assert.Equal("open", complaint["status"]!.GetValue<string>());

        var verified = await desk.Http.PostAsync("/complaints?handler=Decide", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = complaint["id"]!.ToString(), ["decision"] = "verify", ["note"] = "回访核实", ["version"] = complaint["version"]!.ToString(),
            ["__RequestVerificationToken"] = desk.Token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Equal("verified", (await app.Api("complaints").Get($"/api/complaints/{complaint["id"]}")).Str("status"));
        Assert.Contains(order["code"]!.GetValue<string>(), await desk.Http.GetStringAsync("/complaints?status=verified"));
    }

    [Fact]
    public async Task The_complaint_desk_records_a_finding_next_to_verify_and_the_order_page_lists_it()
    {
        var orderId = await _given.OrderIn("scheduled");
        var complaint = (await app.Api("complaints").Post("/api/complaints", new { type = "noVisit", channel = "hotline", workOrderId = orderId, description = "约好的时间没来" }))
            .Expect(HttpStatusCode.Created).Body;
        var desk = await SignIn("complaints");
        var page = await desk.Http.GetStringAsync("/complaints");
        Assert.Contains($"id=\"finding-form-{complaint["id"]}\"", page);
        Assert.Contains("PEN-16 · 未按约定时间上门 · ¥30.00", page); // the rule, the regulation's Chinese, the amount of the order's policy

        Dictionary<string, string> Form(string key, bool token = true)
        {
            var form = new Dictionary<string, string> { ["id"] = complaint["id"]!.ToString(), ["penaltyKey"] = key, ["personUserId"] = "", ["note"] = "调度记录核实" };
            if (token) form["__RequestVerificationToken"] = desk.Token;
            return form;
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.Http.PostAsync("/complaints?handler=Finding", new FormUrlEncodedContent(Form("missedAppointmentComplaint", token: false)))).StatusCode);
        var refused = await desk.Http.PostAsync("/complaints?handler=Finding", new FormUrlEncodedContent(Form("uniformBadgeMissingOrShabby")));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode); // not a complaint fine: the form comes back open with the error
        Assert.Contains("<details class=\"finding-form\" open=\"open\">", await refused.Content.ReadAsStringAsync());
        var recorded = await desk.Http.PostAsync("/complaints?handler=Finding", new FormUrlEncodedContent(Form("missedAppointmentComplaint")));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);

        var finding = Assert.Single((await app.Api("complaints").Get($"/api/complaints/{complaint["id"]}")).Body["findings"]!.AsArray())!;
        Assert.Equal(("PEN-16", 30m), (finding["ruleId"]!.GetValue<string>(), finding["amount"]!.GetValue<decimal>()));
        Assert.Contains($"id=\"finding-{finding["id"]}\"", await desk.Http.GetStringAsync("/complaints"));
        var order = await (await SignIn("manager")).Http.GetStringAsync($"/orders/{orderId}");
        Assert.Contains($"id=\"finding-{finding["id"]}\"", order);
        Assert.Contains("未按约定时间上门", order);
    }

    [Fact]
    public async Task A_console_session_and_its_form_tokens_are_valid_on_another_app_node_sharing_the_database()
    {
        var first = await SignIn("dispatcher");
        await using var secondNode = app.Create();
        var second = secondNode.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        // The cookie container belongs to the first client: carry its cookies to the second node by hand.
        using var login = new HttpRequestMessage(HttpMethod.Get, "/board");
        var jar = (await first.Http.GetAsync("/board")).RequestMessage!.Headers.TryGetValues("Cookie", out var sent) ? string.Join("; ", sent) : "";
        Assert.NotEqual("", jar);
        login.Headers.Add("Cookie", jar);
        Assert.Equal(HttpStatusCode.OK, (await second.SendAsync(login)).StatusCode);

        var order = await _given.NewRepairOrder();
        using var assign = new HttpRequestMessage(HttpMethod.Post, "/board?handler=Assign")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["orderId"] = order["id"]!.ToString(), ["technicianId"] = (await _given.TechnicianId("tech01")).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["__RequestVerificationToken"] = first.Token,
            }),
        };
        assign.Headers.Add("Cookie", jar);
        Assert.Equal(HttpStatusCode.OK, (await second.SendAsync(assign)).StatusCode);
        Assert.Equal("dispatched", (await _given.Dispatcher.Get($"/api/work-orders/{order["id"]}")).Str("status"));
    }
}
