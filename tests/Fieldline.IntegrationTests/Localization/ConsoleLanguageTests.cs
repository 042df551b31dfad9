using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fieldline.IntegrationTests.Localization;

[Collection(SqliteCollection.Name)] public sealed class ConsoleLanguageTestsOnSqlite(SqliteFixture app) : ConsoleLanguageTests(app);

/// <summary>
/// Every console page as every role, in Chinese and in English: no English word reaches a Chinese reader, no Chinese
/// word an English one (data the users typed aside). Pages are found by following the links a user sees, so a new page
/// is checked as soon as a menu or a list links to it. Text is text: this runs on one database.
/// </summary>
public abstract partial class ConsoleLanguageTests(AppFixture app)
{
    public static readonly TheoryData<string> Users = new() { "admin", "manager", "clerk", "dispatcher", "visitor", "complaints", "warehouse", "finance", "supervisor", "tech01" };

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<HttpClient> SignIn(string user, string language)
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        http.DefaultRequestHeaders.Add("Cookie", $"fieldline.lang=c%3D{language}%7Cuic%3D{language}");
        return http;
    }

    /// <summary>Every page reachable from the start page in a few clicks; one page per kind of address (orders/12 stands for every order).</summary>
    private static async Task<Dictionary<string, string>> Crawl(HttpClient http, int maxPages = 60)
    {
        var pages = new Dictionary<string, string>(StringComparer.Ordinal);
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/"]);
        while (queue.Count > 0 && pages.Count < maxPages)
        {
            var url = queue.Dequeue();
            var kind = Regex.Replace(url.Split('?')[0], @"/\d+", "/{id}");
            if (!kinds.Add(kind + (url.Contains('?', StringComparison.Ordinal) ? "?" : ""))) continue;
            var response = await http.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } to && !to.OriginalString.Contains("/login", StringComparison.Ordinal))
            {
                queue.Enqueue(to.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
                continue;
            }
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            var html = await response.Content.ReadAsStringAsync();
            pages[url] = html;
            foreach (var link in LanguageCrawl.Links(html)) queue.Enqueue(link);
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(Users))]
    public async Task No_English_word_reaches_a_Chinese_reader_on_any_page_a_user_can_open(string user)
    {
        var pages = await Crawl(await SignIn(user, "zh-CN"));
        Assert.True(pages.Count >= 3, $"{user} reached only {string.Join(", ", pages.Keys)}");
        var found = pages.SelectMany(p => LanguageCrawl.EnglishIn(p.Value).Select(f => $"{p.Key} {f.Where}: {f.Text}")).Distinct().ToList();
        Assert.True(found.Count == 0, $"English in the Chinese view of {user}'s pages:\n" + string.Join("\n", found.Take(80)));
    }

    [Theory]
    [MemberData(nameof(Users))]
    public async Task No_Chinese_word_reaches_an_English_reader_outside_the_data_users_typed(string user)
    {
        var pages = await Crawl(await SignIn(user, "en"));
        var found = pages.SelectMany(p => LanguageCrawl.ChineseIn(p.Value).Select(f => $"{p.Key} {f.Where}: {f.Text}")).Distinct().ToList();
        Assert.True(found.Count == 0, $"Chinese in the English view of {user}'s pages:\n" + string.Join("\n", found.Take(80)));
    }
}
