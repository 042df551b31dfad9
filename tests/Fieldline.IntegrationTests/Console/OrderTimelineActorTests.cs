using System.Net;
using Fieldline.IntegrationTests.Localization;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Console;

public abstract partial class ConsolePageTests
{
    /// <summary>
    /// What no user did — the customer's answer through the rating link, the system's own entry — is named on the order's
    /// timeline by its role in the reader's language (客户, 系统), never by the raw actor ("customer", "system") hidden from
    /// the language crawl as if it were a person's name.
    /// </summary>
    [Fact]
    public async Task The_order_page_names_what_the_customer_or_the_system_did_客户_and_系统_in_Chinese_and_never_shows_the_raw_actor()
    {
        var id = await _given.OrderIn("completed");
        var url = (await app.Api("tech01").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.OK).Body["url"]!.GetValue<string>();
        var phone = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await phone.GetStringAsync(url)).Groups[1].Value;
        var answered = await phone.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Answers[refusedTips]"] = "yes", ["Satisfaction"] = "5", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        // An entry by the system itself (as a timer or a rule records one): the visited order closed by no person.
        await app.Db(async db =>
        {
            var order = await db.WorkOrders.Include(o => o.Timeline).SingleAsync(o => o.Id == id);
            order.Close(Actor.System, app.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });

        var manager = await SignIn("manager");
        manager.Http.DefaultRequestHeaders.Add("Cookie", "fieldline.lang=c%3Dzh-CN%7Cuic%3Dzh-CN");
        var chinese = await manager.Http.GetStringAsync($"/orders/{id}");
        Assert.Contains("<strong class=\"actor-none\">客户</strong>", chinese);
        Assert.Contains("<strong class=\"actor-none\">系统</strong>", chinese);
        Assert.DoesNotContain(">system<", chinese);
        Assert.DoesNotContain(">customer<", chinese);
        var english = LanguageCrawl.EnglishIn(chinese).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, "English on the Chinese order page:\n" + string.Join("\n", english.Take(40)));

        var en = await SignIn("manager");
        en.Http.DefaultRequestHeaders.Add("Cookie", "fieldline.lang=c%3Den%7Cuic%3Den");
        var page = await en.Http.GetStringAsync($"/orders/{id}");
        Assert.Contains("<strong class=\"actor-none\">Customer</strong>", page);
        Assert.Contains("<strong class=\"actor-none\">System</strong>", page);
    }
}
