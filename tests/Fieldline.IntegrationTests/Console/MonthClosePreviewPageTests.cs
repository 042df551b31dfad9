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
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }
}
