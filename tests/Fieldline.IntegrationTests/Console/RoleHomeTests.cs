using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class RoleHomeTestsOnSqlite(SqliteFixture app) : RoleHomeTests(app);
[Collection(PostgresCollection.Name)] public sealed class RoleHomeTestsOnPostgres(PostgresFixture app) : RoleHomeTests(app);

/// <summary>
/// The warehouse keeper and finance see no work orders (issue 18): signed in, they start on their own screen (the warehouse,
/// the hand-ins), not on an empty order list, and the menu reaches their screens and the parts cost report.
/// </summary>
public abstract partial class RoleHomeTests(AppFixture app)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [Theory]
    [InlineData("warehouse", "/warehouse", "/reports/parts-cost")]
    [InlineData("finance", "/finance", "/reports/parts-cost")]
    public async Task The_keeper_and_finance_start_on_their_own_screen_and_the_menu_reaches_it_and_the_parts_cost_report(string user, string home, string report)
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(home, login.Headers.Location!.OriginalString);
        var root = await http.GetAsync("/");
        Assert.Equal((HttpStatusCode.Redirect, home), (root.StatusCode, root.Headers.Location!.OriginalString));

        var page = await http.GetAsync(home);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"href=\"{home}\"", html);
        Assert.Contains($"href=\"{report}\"", html);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(report)).StatusCode);
    }
}
