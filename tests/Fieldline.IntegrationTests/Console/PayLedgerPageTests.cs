using System.Net;

namespace Fieldline.IntegrationTests.Console;

public abstract partial class ConsolePageTests
{
    [Fact]
    public async Task The_pay_ledger_page_shows_finance_the_month_and_closes_it_and_is_refused_to_a_technician()
    {
        var finance = await SignIn("finance");
        var page = await finance.Http.GetStringAsync("/manage/pay-ledger?month=2026-10");
        Assert.Contains("工资台账", page);
        Assert.Contains("id=\"totals\"", page);
        Assert.Contains("id=\"close-month\"", page);

        // A month before any data: closing it through the page changes no one's pay. Without the antiforgery token it is refused.
        var form = new Dictionary<string, string> { ["month"] = "2026-10" };
        Assert.Equal(HttpStatusCode.BadRequest, (await finance.Http.PostAsync("/manage/pay-ledger?handler=Close", new FormUrlEncodedContent(form))).StatusCode);
        form["__RequestVerificationToken"] = finance.Token;
        // Closing is for good: without the confirmation ticked the page asks again and closes nothing.
        Assert.Equal(HttpStatusCode.OK, (await finance.Http.PostAsync("/manage/pay-ledger?handler=Close", new FormUrlEncodedContent(form))).StatusCode);
        Assert.Contains("id=\"close-month\"", await finance.Http.GetStringAsync("/manage/pay-ledger?month=2026-10"));
        form["confirmed"] = "true";
        var closed = await finance.Http.PostAsync("/manage/pay-ledger?handler=Close", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var after = await finance.Http.GetStringAsync(closed.Headers.Location!.OriginalString);
        Assert.Contains("已结账", after);
        Assert.DoesNotContain("id=\"close-month\"", after);

        var tech = await SignIn("tech01");
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.Http.GetAsync("/manage/pay-ledger")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await SignIn("dispatcher")).Http.GetAsync("/manage/pay-ledger")).StatusCode);
    }
}
