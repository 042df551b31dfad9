using System.Net;

namespace Fieldline.IntegrationTests.Console;

public abstract partial class ConsolePageTests
{
    [Fact]
    public async Task The_month_close_preview_shows_each_persons_assessment_and_why_their_eligibility_was_revoked_in_Chinese()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var tech = await _given.NewTechnician(["ac.install"]);
        // A fine this month (PEN-74, EVL-10): the person gets a line, and the month's eligibility is revoked.
        (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-74", personUserId = tech.UserId, evidence = new { text = "在客户家中说公司坏话" } })).Expect(HttpStatusCode.OK);
        var month = app.LocalNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var finance = await SignIn("finance");
        var page = await finance.Http.GetStringAsync($"/manage/pay-ledger?month={month}");
        var start = page.IndexOf($"id=\"statement-{tech.UserId}\"", StringComparison.Ordinal);
        Assert.True(start > 0, "the person's statement row is in the preview");
        var row = page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
        Assert.Contains("取消考评资格", row);
        Assert.Contains("PEN-74", row);
        Assert.Contains("考核未评完", row); // the supervisor has not scored the manual items: named incomplete
        Assert.Contains(">考核<", page);

        // The PDF and the workbook through the page (the console's cookie does not open the API): the same checks.
        var pdf = await finance.Http.GetAsync($"/manage/pay-ledger?handler=Pdf&person={tech.UserId}&month={month}");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var book = await finance.Http.GetAsync($"/manage/pay-ledger?handler=Workbook&month={month}");
        Assert.Equal(HttpStatusCode.OK, book.StatusCode);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString(await book.Content.ReadAsByteArrayAsync(), 0, 2));
        var other = await SignIn("tech01");
        Assert.NotEqual(HttpStatusCode.OK, (await other.Http.GetAsync($"/manage/pay-ledger?handler=Pdf&person={tech.UserId}&month={month}")).StatusCode);
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }
}
