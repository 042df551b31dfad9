using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Fieldline on 127.0.0.1 (Kestrel, in-process) on a temporary SQLite file with the demo company and a fake clock,
/// and Debian's chromium driven by Playwright. Tests make their own orders through the API and use the phone app as a
/// technician would.
/// </summary>
public class PhoneApp : IAsyncLifetime
{
    public const string Password = "Browser-Test-1";
    private readonly string _file = Path.Combine(Path.GetTempPath(), "fieldline-browser", $"{Guid.NewGuid():N}.db");
    private readonly Dictionary<string, string> _tokens = [];
    public FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("Database:Provider", "Sqlite");
            b.UseSetting("ConnectionStrings:Sqlite", $"Data Source={_file}");
            b.UseSetting("Fieldline:DemoData", "true");
            b.UseSetting("Fieldline:DemoPassword", Password);
            b.UseSetting("Fieldline:Auth:LoginFailuresPerAddress", "100000");
            UseClock(b);
        });
        Factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        var address = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseUrl };
        // The suite shares two cores with the integration tests: give the page time rather than fail on a slow tick.
        Assertions.SetDefaultExpectTimeout(15_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
        });
    }

    /// <summary>The phone app's tests move a fake clock directly; the console's tests use the sandbox clock like a trainer would.</summary>
    protected virtual void UseClock(IWebHostBuilder b) => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));

    /// <summary>An office screen: 1366×768, Chinese, Changsha time.</summary>
    public async Task<IBrowserContext> Desktop()
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl.ToString(), ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>A phone: 390×844, touch, Chinese, in Changsha, location and camera allowed.</summary>
    public async Task<IBrowserContext> Phone()
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl.ToString(), ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
            Locale = "zh-CN", TimezoneId = "Asia/Shanghai", Geolocation = new() { Latitude = 28.1812f, Longitude = 112.9423f },
            Permissions = ["geolocation", "camera"],
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        Http.Dispose();
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(f);
    }

    /// <summary>A technician signed in on the phone app, at the order list; page errors go to <paramref name="errors"/>.</summary>
    public static async Task<IPage> SignInOnPhone(IBrowserContext context, string user, List<string> errors)
    {
        var p = await context.NewPageAsync();
        p.PageError += (_, e) => errors.Add(e);
        p.Console += (_, m) => Console.WriteLine($"[browser {m.Type}] {m.Text}");
        await p.GotoAsync("/m");
        await p.FillAsync("#username", user);
        await p.FillAsync("#password", PhoneApp.Password);
        await p.ClickAsync("#login");
        await p.WaitForSelectorAsync("#newOrders", new() { Timeout = 45_000 }); // the first screen under CI's load: see ConsoleApp.SignIn
        return p;
    }

    /// <summary>
    /// The server's answer to the phone's next POST of <paramref name="action"/> (say "check-in"): start waiting before the
    /// click. Waiting for the outbox to empty is not enough before reading the server: the click returns before the action
    /// is written to the outbox, so the "待发送" badge can still be hidden from before, and that wait pass at once.
    /// </summary>
    public static Task<IResponse> Answer(IPage page, string action) =>
        page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.EndsWith("/" + action, StringComparison.Ordinal), new() { Timeout = 20_000 });

    /// <summary>Clicks a phone button that queues one action, and waits for the server's answer to it and for the outbox to empty.</summary>
    public static async Task ClickAndSend(IPage page, string selector, string action)
    {
        var answered = Answer(page, action);
        await page.ClickAsync(selector);
        await answered;
        await Assertions.Expect(page.Locator("#queue")).ToBeHiddenAsync(new() { Timeout = 20_000 });
    }

    /// <summary>Words of English a Chinese reader would meet on the page (codes with a digit, such as order numbers and models, are data).</summary>
    public static async Task<List<string>> English(IPage page)
    {
        var text = await page.EvaluateAsync<string>("() => document.body.innerText");
        return System.Text.RegularExpressions.Regex.Matches(text, @"[A-Za-z][A-Za-z0-9]*(?:[-_.'/][A-Za-z0-9]+)*")
            .Select(m => m.Value).Where(w => w.Length > 1 && !w.Any(char.IsDigit) && w is not ("Fieldline" or "EN" or "English" or "GPS" or "SMS" or "PDF"))
            .Select(w => $"{page.Url}: {w}").ToList();
    }

    // ---- the API, as the office staff use it ----

    public async Task<JsonNode> Send(string user, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token(user));
        if (body is not null) request.Content = JsonContent.Create(body, options: JsonSerializerOptions.Web);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} as {user}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    public Task<JsonNode> Get(string user, string path) => Send(user, HttpMethod.Get, path);

    public async Task<string> Token(string user)
    {
        if (_tokens.TryGetValue(user, out var token)) return token;
        var response = await Http.PostAsJsonAsync("/api/auth/token", new { username = user, password = Password });
        response.EnsureSuccessStatusCode();
        return _tokens[user] = (await response.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
    }

    public async Task<int> TechnicianId(string username)
    {
        var page = await Get("manager", "/api/technicians?pageSize=200");
        return page["items"]!.AsArray().Single(t => t!["username"]!.GetValue<string>() == username)!["id"]!.GetValue<int>();
    }

    /// <summary>An out-of-warranty air-conditioner installation, dispatched to <paramref name="tech"/>.</summary>
    public async Task<(long Id, string Code)> DispatchedOrder(string tech = "tech01", string type = "install")
    {
        var phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}";
        var customer = await Send("clerk", HttpMethod.Post, "/api/customers",
            new { name = "王女士", phone, address = "长沙市岳麓区麓山南路 88 号 3 栋 502", location = new { lat = 28.18, lng = 112.94 } });
        var serial = $"GR{Guid.NewGuid():N}"[..18].ToUpperInvariant();
        await Send("clerk", HttpMethod.Post, $"/api/customers/{customer["id"]}/products", new
        {
            productLine = "ac", brand = "格力", model = "KFR-35GW/NhGc1B", serialNumber = serial, invoiceNumber = "INV-88",
            purchaseDate = "2019-05-01", warrantyMonths = 12, warrantyExclusions = Array.Empty<string>(),
        });
        var local = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var order = await Send("clerk", HttpMethod.Post, "/api/work-orders", new
        {
            type, channel = "hotline", customerId = customer["id"]!.GetValue<long>(), productSerial = serial, faultDescription = "新机安装,客户要求下午上门",
            priority = "normal", requestedWindow = new { start = local.AddHours(2), end = local.AddHours(4) },
        });
        var id = order["id"]!.GetValue<long>();
        await Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/dispatch", new { technicianId = await TechnicianId(tech) });
        return (id, order["code"]!.GetValue<string>());
    }
}
