using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class RoleMenuTestsOnSqlite(SqliteFixture app) : RoleMenuTests(app);
[Collection(PostgresCollection.Name)] public sealed class RoleMenuTestsOnPostgres(PostgresFixture app) : RoleMenuTests(app);

/// <summary>
/// Issue 18: the warehouse keeper's and finance's screens are reachable from the console's menu for their roles (not only
/// by typing the address): signed in, their first page's menu links their screen and the parts cost report, and both open.
/// </summary>
public abstract partial class RoleMenuTests(AppFixture app)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [Theory]
    [InlineData("warehouse", "/warehouse", "/reports/parts-cost")]
    [InlineData("finance", "/finance", "/reports/parts-cost")]
    public async Task The_keeper_and_finance_reach_their_own_screen_and_the_parts_cost_report_from_the_menu_of_their_first_page(string user, string home, string report)
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var first = await http.GetAsync(login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await first.Content.ReadAsStringAsync();
        Assert.Contains($"href=\"{home}\"", html);
        Assert.Contains($"href=\"{report}\"", html);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(home)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(report)).StatusCode);
    }
}
