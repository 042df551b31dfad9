using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class LinksByRoleTestsOnSqlite(SqliteFixture app) : LinksByRoleTests(app);
[Collection(PostgresCollection.Name)] public sealed class LinksByRoleTestsOnPostgres(PostgresFixture app) : LinksByRoleTests(app);

/// <summary>
/// A page shows a person only the links its targets admit them to (h4 F2: 智能排程 on the clerk's board, 入职与离职 on
/// the dispatcher's people desk, 新建工单 on the supervisor's call register all answered 无权访问). Every page of a role's
/// menu is opened and every link on it followed once per address shape (digits alike): none may answer 403.
/// </summary>
public abstract partial class LinksByRoleTests(AppFixture app)
{
    [GeneratedRegex("<header.*?</header>", RegexOptions.Singleline)]
    private static partial Regex Header();

    [GeneratedRegex("<a\\b[^>]*\\bhref=\"(/[^\"#]*)\"")]
    private static partial Regex Link();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    /// <summary>Not pages: the API, the phone app, sign-out, static files and the live feed.</summary>
    private static bool Followed(string href) =>
        !href.StartsWith("/api/", StringComparison.Ordinal) && !href.StartsWith("/m/", StringComparison.Ordinal) && href != "/m"
        && !href.StartsWith("/logout", StringComparison.Ordinal) && !href.StartsWith("/console/", StringComparison.Ordinal)
        && !Regex.IsMatch(href, @"\.(css|js|svg|png|ico)(\?|$)");

    [Theory]
    [InlineData("clerk")]
    [InlineData("dispatcher")]
    [InlineData("supervisor")]
    [InlineData("manager")]
    [InlineData("admin")]
    [InlineData("visitor")]
    [InlineData("complaints")]
    [InlineData("warehouse")]
    [InlineData("finance")]
    [InlineData("tech01")]
    public async Task No_link_a_page_shows_a_role_leads_to_a_page_that_refuses_that_role(string user)
    {
        var console = await ConsoleSession.SignIn(app, user);
        var home = await console.Get("/orders");
        var menu = Link().Matches(Header().Match(home).Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(Followed).Append("/orders").Distinct().ToList();
        Assert.NotEmpty(menu);
        var tried = new HashSet<string>(StringComparer.Ordinal);
        var refused = new List<string>();
        foreach (var page in menu)
        {
            if (await console.Status(page) != HttpStatusCode.OK) continue; // a redirect or a page of the menu itself: the menu's own concern
            var html = Header().Replace(await console.Get(page), "");
            foreach (var href in Link().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(Followed))
            {
                if (!tried.Add(Digits().Replace(href, "n"))) continue;
                if (await console.Status(href) == HttpStatusCode.Forbidden) refused.Add($"{page} → {href}");
            }
        }
        Assert.True(refused.Count == 0, $"{user} is shown links that answer 403:\n" + string.Join("\n", refused));
    }
}
