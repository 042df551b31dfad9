using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class UnreadableFormValueTestsOnSqlite(SqliteFixture app) : UnreadableFormValueTests(app);
[Collection(PostgresCollection.Name)] public sealed class UnreadableFormValueTestsOnPostgres(PostgresFixture app) : UnreadableFormValueTests(app);

/// <summary>
/// A form value the console cannot read (<c>version=abc</c>, a date 2026-99-99, letters in a number) is refused before the
/// action runs, and said in Chinese by the field's label — never the framework's English, never done as if not sent.
/// </summary>
public abstract partial class UnreadableFormValueTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static void NoFrameworkEnglish(string html)
    {
        Assert.DoesNotContain("is not valid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("is invalid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("was not provided", html, StringComparison.Ordinal);
        Assert.DoesNotContain(LanguageCrawl.EnglishIn(html), f => f.Text.Contains("valid", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Closing_an_order_with_a_version_that_cannot_be_read_is_refused_in_chinese_and_the_order_stays_open()
    {
        var id = await _given.OrderIn("visited");
        var manager = await ConsoleSession.SignIn(app, "manager");
        await manager.Get($"/orders/{id}");
        var page = await manager.Post($"/orders/{id}?handler=Close", [new("version", "abc")]);
        Assert.Contains("版本必须是整数。", page, StringComparison.Ordinal);
        NoFrameworkEnglish(page);
        var order = (await _given.Manager.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("visited", order["status"]!.GetValue<string>());
        Assert.DoesNotContain(order["timeline"]!.AsArray(), t => t!["action"]!.GetValue<string>() == "closed");
    }

    [Fact]
    public async Task Assigning_on_the_board_with_a_version_that_cannot_be_read_says_so_once_and_leaves_the_order_waiting()
    {
        var id = await _given.OrderIn("new");
        var tech = await _given.TechnicianId("tech01");
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        await dispatcher.Get("/board");
        var page = await dispatcher.Post("/board?handler=Assign", [new("orderId", id.ToString()), new("technicianId", tech.ToString()), new("version", "abc")]);
        Assert.Single(Regex.Matches(page, "版本必须是整数。"));
        NoFrameworkEnglish(page);
        Assert.Equal("new", (await _given.Manager.Get($"/api/work-orders/{id}")).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_quantity_in_letters_on_the_warehouse_form_is_named_by_its_chinese_label_and_nothing_is_booked()
    {
        var keeper = await ConsoleSession.SignIn(app, "warehouse");
        await keeper.Get("/warehouse");
        var page = await keeper.Post("/warehouse?handler=Receive", [new("MovePartNumber", "NO-SUCH-PART"), new("Quantity", "abc"), new("Reason", "到货")]);
        Assert.Contains("数量必须是整数。", page, StringComparison.Ordinal);
        NoFrameworkEnglish(page);
    }

    [Fact]
    public async Task An_impossible_purchase_date_on_the_intake_form_is_named_by_its_chinese_label()
    {
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        await clerk.Get("/intake");
        var phone = Given.Phone();
        var page = await clerk.Post("/intake", [
            new("Phone", phone), new("NewName", "日期客户"), new("NewAddress", "长沙市芙蓉区五一大道 1 号"), new("Type", "repair"), new("Channel", "hotline"),
            new("ProductLine", "ac"), new("ProductModel", "KFR-35GW"), new("PurchaseDate", "2026-99-99"), new("FaultDescription", "不制冷")]);
        Assert.Contains("购机日期必须是日期", page, StringComparison.Ordinal);
        NoFrameworkEnglish(page);
        Assert.Equal(0, (await _given.Clerk.Get($"/api/work-orders?q={phone}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_customer_who_types_letters_for_satisfaction_reads_chinese_and_the_rating_is_not_recorded()
    {
        var id = await _given.OrderIn("completed");
        var url = (await app.Api("tech01").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.OK).Body["url"]!.GetValue<string>();
        using var phone = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await phone.GetStringAsync(url)).Groups[1].Value;
        var answer = await phone.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Answers[arrivedOnTime]"] = "yes", ["Satisfaction"] = "abc",
        }));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var html = await answer.Content.ReadAsStringAsync();
        Assert.Contains("满意度必须是整数。", html, StringComparison.Ordinal);
        NoFrameworkEnglish(html);
        // Not answered: the link still works for the customer's real answer.
        (await app.Api("tech01").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.OK);
    }
}
