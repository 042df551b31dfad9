using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Fieldline with the sandbox clock (Fieldline:Clock=Manual), started on a Tuesday at 09:00 in Changsha, for the
/// back-office console's tests; the clock moves only through POST /api/sandbox/clock, as a trainer would move it.
/// </summary>
public class ConsoleApp : PhoneApp
{
    public static readonly string Shots = Path.Combine(Root(), "docs", "screenshots");

    protected override void UseClock(IWebHostBuilder b)
    {
        b.UseSetting("Fieldline:Clock", "Manual");
        b.UseSetting("Fieldline:ClockStart", "2026-12-01T01:00:00Z");
    }

    public async Task<IPage> SignIn(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => Console.WriteLine($"[browser error] {e}");
        page.Console += (_, m) => Console.WriteLine($"[browser {m.Type}] {m.Text}");
        await page.GotoAsync("/login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        // The first page after a sign-in is often this app's first of its kind (compiled on first use), while CI runs the
        // integration tests beside it (load average 15–17 seen): 15 s timed out there twice with nothing wrong on the page.
        try { await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new() { Timeout = 45_000 }); }
        catch (TimeoutException e)
        {
            // Seen rarely in full runs, never alone: say what the page showed, so that the next one can be explained.
            string shown;
            try { shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 2_000 }); }
            catch (PlaywrightException) { shown = "(unreadable)"; }
            try { await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"signin-stall-{user}-{Guid.NewGuid():N}.png") }); }
            catch (PlaywrightException) { /* the message above is what matters */ }
            throw new TimeoutException($"{user} was not signed in after 45 s; the page at {page.Url} shows: {shown[..Math.Min(shown.Length, 400)]}", e);
        }
        return page;
    }

    /// <summary>A customer of the Changsha branch with a registered air conditioner; returns (customer id, phone, serial).</summary>
    public async Task<(long Id, string Phone, string Serial)> Customer(string name = "刘先生")
    {
        var phone = $"138{Random.Shared.Next(10_000_000, 99_999_999)}";
        var customer = await Send("clerk", HttpMethod.Post, "/api/customers",
            new { name, phone, address = "长沙市开福区湘江中路 66 号 2 栋 801", location = new { lat = 28.21, lng = 112.98 } });
        var serial = $"KF{Guid.NewGuid():N}"[..16].ToUpperInvariant();
        await Send("clerk", HttpMethod.Post, $"/api/customers/{customer["id"]}/products", new
        {
            productLine = "ac", brand = "格力", model = "KFR-35GW/NhGc1B", serialNumber = serial, invoiceNumber = "INV-1",
            purchaseDate = "2026-03-01", warrantyMonths = 36, warrantyExclusions = new[] { "filter" },
        });
        return (customer["id"]!.GetValue<long>(), phone, serial);
    }

    public async Task<JsonNode> RepairOrder(string fault = "空调不制冷,外机不转", bool urgent = false)
    {
        var (id, _, serial) = await Customer();
        return await Send("clerk", HttpMethod.Post, "/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = id, productSerial = serial, faultDescription = fault, priority = urgent ? "urgent" : "normal",
        });
    }

    public async Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, name), FullPage = false });
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fieldline.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
