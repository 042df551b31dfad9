using System.Globalization;
using System.Text.RegularExpressions;
using Fieldline.Web.Features.Maps;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// The board's and the plan's maps and the intake's pin drop, drawn by Leaflet on tiles from a local tile server in the
/// GCJ-02 datum: markers and routes for known orders, clicks that open orders, pins saved (in WGS-84) where they were dropped.
/// </summary>
public sealed class MapTests(MapApp app) : IClassFixture<MapApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    private static string Local(int hour) => $"2026-12-01T{hour:00}:00:00+08:00";

    /// <summary>A repair order of a new customer at (lat, lng), dispatched to <paramref name="tech"/> and scheduled from <paramref name="hour"/> today.</summary>
    private async Task<(long Id, string Code)> ScheduledOrder(string customer, double lat, double lng, string tech, int hour)
    {
        var c = await app.Send("clerk", HttpMethod.Post, "/api/customers", new
        {
            name = customer, phone = $"136{Random.Shared.Next(10_000_000, 99_999_999)}", address = $"长沙市天心区书院路 {Random.Shared.Next(1, 400)} 号", location = new { lat, lng },
        });
        var order = await app.Send("clerk", HttpMethod.Post, "/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = c["id"]!.GetValue<long>(), productLine = "ac", productModel = "KFR-35GW", purchaseDate = "2025-06-01",
            faultDescription = "空调不制冷",
        });
        var id = order["id"]!.GetValue<long>();
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/dispatch", new { technicianId = await app.TechnicianId(tech) });
        await app.Send(tech, HttpMethod.Post, $"/api/work-orders/{id}/accept", new { });
        await app.Send(tech, HttpMethod.Post, $"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = Local(hour), end = Local(hour + 1) } });
        return (id, order["code"]!.GetValue<string>());
    }

    private static List<string> CspViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) violations.Add(m.Text); };
        return violations;
    }

    [Fact]
    public async Task The_board_and_the_plan_show_positions_stops_in_order_routes_and_the_queue_on_tiles_served_offline()
    {
        // tech02's afternoon: the 16:00 order taken first, so the order on the map is the appointments', not the ids'.
        var late = await ScheduledOrder("孙先生", 28.2285, 112.9410, "tech02", 16);
        var early = await ScheduledOrder("钱女士", 28.1962, 112.9771, "tech02", 14);

        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "dispatcher");
        var violations = CspViolations(page);
        await page.GotoAsync("/board");
        var map = page.Locator("#board-map");
        await Expect(map.Locator(".leaflet-tile-loaded").First).ToBeVisibleAsync();
        Assert.True(app.Tiles.Requests > 0, "the map fetched no tiles from the tile server");

        // One marker per row with a place; tech02's two stops numbered by appointment, joined by a line in tech02's colour.
        var drawn = await page.Locator("#board-map-data tbody tr[data-lat]").CountAsync();
        Assert.True(drawn > 10, $"only {drawn} rows have a place");
        await Expect(map.Locator(".fl-marker")).ToHaveCountAsync(drawn);
        var first = page.Locator($"#board-map-data tr[data-href='/orders/{early.Id}']");
        var second = page.Locator($"#board-map-data tr[data-href='/orders/{late.Id}']");
        // Other tests of this browser session may have given tech02 stops today: the two follow each other, 14:00 first.
        await Expect(first).ToHaveAttributeAsync("data-seq", new System.Text.RegularExpressions.Regex(@"^\d+$"));
        var seq = int.Parse((await first.GetAttributeAsync("data-seq"))!, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(second).ToHaveAttributeAsync("data-seq", (seq + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var colour = await first.GetAttributeAsync("data-colour");
        await Expect(map.Locator($"path.fl-route.mc{colour}")).ToHaveCountAsync(1);
        await Expect(map.Locator($".fl-marker.stop.mc{colour}[title^='{seq}. {early.Code}']")).ToContainTextAsync(seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The queue: every unassigned order with a place is a grey diamond.
        var queued = await page.Locator("#board-map-data tr[data-kind=open][data-lat]").CountAsync();
        Assert.True(queued > 0);
        await Expect(map.Locator(".fl-marker.open")).ToHaveCountAsync(queued);
        // Chinese first: the controls and the legend.
        await Expect(map.Locator(".leaflet-control-zoom-in")).ToHaveAttributeAsync("title", "放大");
        await Expect(page.Locator("#board-map-legend")).ToContainTextAsync("最后位置");
        await Expect(map.Locator(".leaflet-control-attribution")).ToHaveTextAsync("© 测试底图");
        await map.ScrollIntoViewIfNeededAsync();
        await app.Shot(page, "console-board-map.png");

        // Keyboard: the stop is focusable, says what it is, and Enter opens the order.
        var stop = map.Locator($".fl-marker[title^='{seq}. {early.Code}']");
        await stop.FocusAsync();
        await Expect(page.Locator(".leaflet-tooltip")).ToContainTextAsync("钱女士");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/orders/{early.Id}");

        // The plan: the optimiser's routes in order, and the orders it could not place.
        await page.GotoAsync("/board/plan");
        await page.ClickAsync("#plan");
        var planMap = page.Locator("#plan-map");
        await Expect(planMap.Locator(".fl-marker.stop").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // The day defaults to today; every service starts after now (the sandbox clock: Changsha 09:00 or later), routes
        // are named by their technician, never by an id.
        await Expect(page.Locator("#date")).ToHaveValueAsync("2026-12-01");
        var starts = await page.Locator(".service-start").AllInnerTextsAsync();
        Assert.NotEmpty(starts);
        Assert.All(starts, s => Assert.True(string.CompareOrdinal(System.Text.RegularExpressions.Regex.Match(s, @"\d\d:\d\d").Value, "09:00") >= 0, $"a service planned before now: {s}"));
        Assert.All(await page.Locator(".tech .head strong").AllInnerTextsAsync(), name => Assert.DoesNotMatch(@"^\d+$", name));
        var planned = await page.Locator("#plan-map-data tbody tr[data-lat]").CountAsync();
        await Expect(planMap.Locator(".fl-marker")).ToHaveCountAsync(planned);
        Assert.True(await planMap.Locator("path.fl-route").CountAsync() >= 1, "no route drawn on the plan");
        await Expect(planMap.Locator(".leaflet-tile-loaded").First).ToBeVisibleAsync();
        await planMap.ScrollIntoViewIfNeededAsync();
        await app.Shot(page, "console-plan-map.png");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_clerk_drops_the_pin_for_a_new_caller_and_for_a_customer_without_a_location_and_it_is_stored_in_WGS84()
    {
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "clerk");
        var violations = CspViolations(page);
        await page.GotoAsync("/intake");

        // A new caller: the pin goes with the order.
        var phone = $"135{Random.Shared.Next(10_000_000, 99_999_999)}";
        await page.FocusAsync("#phone");
        await page.Keyboard.TypeAsync(phone);
        await Expect(page.Locator("#new-customer #pin-map")).ToBeVisibleAsync();
        await page.FillAsync("#newName", "郑先生");
        await page.FillAsync("#newAddress", "长沙市芙蓉区五一大道 100 号");
        await Expect(page.Locator("#pin-status")).ToHaveTextAsync("尚未定位。");
        await page.Locator("#pin-map").ClickAsync(new() { Position = new() { X = 140, Y = 90 } });
        await Expect(page.Locator("#pin-status")).ToContainTextAsync("定位：");
        var pinLat = double.Parse(await page.InputValueAsync("#pin-lat"), CultureInfo.InvariantCulture);
        var pinLng = double.Parse(await page.InputValueAsync("#pin-lng"), CultureInfo.InvariantCulture);
        await page.SelectOptionAsync("#productLine", "ac");
        await page.FillAsync("#productModel", "KFR-26GW");
        await page.FillAsync("#purchaseDate", "2025-05-01");
        await page.FillAsync("#fault", "空调制热效果差");
        await page.ClickAsync("#save");
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("已创建工单");
        var created = (await app.Get("clerk", $"/api/customers?phone={phone}"))["items"]![0]!;
        var (wgsLat, wgsLng) = Coordinates.Gcj02ToWgs84(pinLat, pinLng);
        Assert.Equal(wgsLat, created["location"]!["lat"]!.GetValue<double>(), 5);
        Assert.Equal(wgsLng, created["location"]!["lng"]!.GetValue<double>(), 5);
        Assert.NotEqual(pinLat, created["location"]!["lat"]!.GetValue<double>(), 5); // converted, not stored as drawn

        // An existing customer without a location, keyboard only: move the map, pin its centre, save.
        var known = $"135{Random.Shared.Next(10_000_000, 99_999_999)}";
        var customer = await app.Send("clerk", HttpMethod.Post, "/api/customers", new { name = "冯女士", phone = known, address = "长沙市开福区北辰三角洲 2 栋" });
        await page.GotoAsync("/intake");
        await page.FocusAsync("#phone");
        await page.Keyboard.TypeAsync(known);
        await Expect(page.Locator("#customer-found #pin-drop")).ToBeVisibleAsync();
        await page.FocusAsync("#pin-map");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowUp");
        await page.FocusAsync("#pin-centre");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#pin-status")).ToContainTextAsync("定位：");
        await app.Shot(page, "console-intake-pin.png");
        await page.FocusAsync("#pin-save");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#pin-saved")).ToBeVisibleAsync();
        var saved = await app.Get("clerk", $"/api/customers/{customer["id"]}");
        Assert.NotNull(saved["location"]);
        Assert.Equal(customer["version"]!.GetValue<int>() + 1, saved["version"]!.GetValue<int>());
        Assert.Empty(violations);
    }
}
