using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>A signed-in console user at the HTTP level: a cookie-keeping client that posts forms with the antiforgery token and follows the redirect after a post.</summary>
public sealed partial class ConsoleSession
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private readonly HttpClient _http;
    private string _token = "";

    private ConsoleSession(HttpClient http) => _http = http;

    public static Task<ConsoleSession> SignIn(AppFixture app, string user) => SignIn(app.Factory, user);

    /// <summary>A session on another app of the fixture's database (one with test services of its own).</summary>
    public static async Task<ConsoleSession> SignIn(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string user)
    {
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return new ConsoleSession(http);
    }

    /// <summary>The page's HTML (a 200 expected); remembers its antiforgery token for the next post.</summary>
    public async Task<string> Get(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        if (TokenField().Match(html) is { Success: true } m) _token = m.Groups[1].Value;
        return html;
    }

    /// <summary>A fragment the page fetches in the background (htmx's <c>HX-Request</c> header), as the browser would with this session's cookie.</summary>
    public async Task<string> Fragment(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A file from a page handler (a 200 expected): its content type and bytes.</summary>
    public async Task<(string? ContentType, byte[] Bytes)> Download(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The status a GET answers with this session's cookie (no redirect followed).</summary>
    public async Task<HttpStatusCode> Status(string url) => (await _http.GetAsync(url)).StatusCode;

    /// <summary>Posts a body as it is (a multipart body no browser would write), with the token of the last page read in the header htmx sends it in.</summary>
    public async Task<HttpResponseMessage> PostRaw(string url, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("RequestVerificationToken", _token);
        return await _http.SendAsync(request);
    }

    /// <summary>Posts the form (with the token of the last page read) and returns the page it lands on: the redirect's target, or the page itself with its errors.</summary>
    /// <param name="meanwhile">What the page still open in the browser does between the post's answer and the redirect (a background fetch).</param>
    public async Task<string> Post(string url, IEnumerable<KeyValuePair<string, string>> form, Func<Task>? meanwhile = null)
    {
        if (_token.Length == 0) await Get(url.Split('&')[0]);
        var response = await _http.PostAsync(url, new FormUrlEncodedContent(form.Append(new("__RequestVerificationToken", _token))));
        if (meanwhile is not null) await meanwhile();
        if (response.StatusCode == HttpStatusCode.Redirect) return await Get(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
