using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// A service trip (第15篇) in Debian's chromium: the supervisor sends a technician; on the phone the technician reports
/// the arrival (PRJ-21), the day's work with a suggestion (PRJ-27) and hands in the trip report; on the console the
/// supervisor adopts the suggestion with a reward (RWD-08) and sets the rest (ATT-20), and the phone shows both. The
/// Chinese screens have no English.
/// </summary>
public sealed class ServiceTripJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    private static async Task NoEnglish(IPage p)
    {
        var english = await PhoneApp.English(p);
        Assert.True(english.Count == 0, "English on a Chinese screen:\n" + string.Join("\n", english));
    }

    [Fact]
    public async Task A_trip_is_reported_from_the_phone_and_reviewed_on_the_console_with_the_rest_and_the_reward_shown_back_on_the_phone()
    {
        await app.Send("manager", HttpMethod.Put, "/api/policy", new { basedOn = "electrical-field-commissioning" });
        var tech = await app.TechnicianId("tech02");
        var trip = (await app.Send("supervisor", HttpMethod.Post, "/api/trips", new { technicianId = tech, destination = "唐山钢厂", purpose = "电控柜现场调试" }))["id"]!.GetValue<long>();

        var errors = new List<string>();
        await using var phone = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(phone, "tech02", errors);
        await p.ClickAsync("#tripLink");
        await Expect(p.Locator("#tripCurrent")).ToContainTextAsync("唐山钢厂");
        // PRJ-21: the progress first; nothing is sent without it.
        await p.ClickAsync("#tripArrive");
        await Expect(p.Locator("#tripError")).ToContainTextAsync("现场施工进度");
        await NoEnglish(p);
        await p.FillAsync("#tripProgress", "土建完成,电缆桥架未到");
        await p.FillAsync("#tripConditions", "连日降雨");
        await p.ClickAsync("#tripArrive");
        await p.FillAsync("#tripWork", "检查电控柜,核对装箱单");
        await p.FillAsync("#tripSuggestion", "装箱单随柜附电子版");
        await p.ClickAsync("#tripLogSubmit");
        await Expect(p.Locator("#tripLoggedToday")).ToBeVisibleAsync();
        await Expect(p.Locator("#tripLogs")).ToContainTextAsync("装箱单随柜附电子版");
        await NoEnglish(p);
        await app.Shot(p, "phone-service-trip.png");
        await p.Locator("#tripReturnForm summary").ClickAsync();
        await p.FillAsync("#tripReport", "调试完成,设备已投产");
        await p.ClickAsync("#tripReturnSubmit");
        await Expect(p.Locator("#noTrip")).ToBeVisibleAsync();
        await Expect(p.Locator($"#tripHistory [data-trip='{trip}']")).ToContainTextAsync("已返回待审阅");

        // The supervisor reads the report on the console, adopts the suggestion and sets the rest.
        await using var desk = await app.Desktop();
        var d = await app.SignIn(desk, "supervisor");
        await d.GotoAsync("/trips");
        await d.ClickAsync($"#trips-waiting a[href='/trips/{trip}']");
        await Expect(d.Locator("#arrival-report")).ToContainTextAsync("电缆桥架未到");
        await Expect(d.Locator("#trip-report")).ToContainTextAsync("设备已投产");
        await NoEnglish(d);
        var log = (await app.Get("supervisor", $"/api/trips/{trip}"))["logs"]![0]!["id"]!.GetValue<long>();
        await d.CheckAsync($"#adopt-{log}");
        await d.FillAsync($"#reward-{log}", "150");
        await app.Shot(d, "console-trip-review.png");
        await d.ClickAsync("#review-submit"); // no rest days: the form asks for them
        await Expect(d.Locator("#trip-status")).ToContainTextAsync("已返回待审阅");
        await d.FillAsync("#rest-days", "2");
        await d.ClickAsync("#review-submit");
        await Expect(d.Locator("#trip-status")).ToHaveTextAsync("已审阅");
        await Expect(d.Locator("#trip-review")).ToContainTextAsync("休息");
        await Expect(d.Locator($"#log-{log}")).ToContainTextAsync("已采纳,奖励 ¥150.00");
        await NoEnglish(d);

        await p.ReloadAsync();
        await Expect(p.Locator($"#tripRest-{trip}")).ToContainTextAsync("休息");
        await Expect(p.Locator($"#tripHistory [data-trip='{trip}']")).ToContainTextAsync("合理化建议被采纳:装箱单随柜附电子版(奖励 ¥150.00)");
        await NoEnglish(p);
        Assert.Empty(errors);
        await app.Send("manager", HttpMethod.Put, "/api/policy", new { basedOn = "generic" });
    }

    [Fact]
    public async Task The_dispatcher_gives_the_orders_a_traveller_left_behind_to_others_from_the_trips_page()
    {
        var (order, code) = await app.DispatchedOrder("tech03");
        var traveller = await app.TechnicianId("tech03");
        var trip = (await app.Send("dispatcher", HttpMethod.Post, "/api/trips", new { technicianId = traveller, destination = "株洲电厂", purpose = "机组检修" }))["id"]!.GetValue<long>();

        await using var desk = await app.Desktop();
        var d = await app.SignIn(desk, "dispatcher");
        var errors = new List<string>();
        d.PageError += (_, e) => errors.Add(e);
        await d.GotoAsync($"/trips/{trip}");
        var row = d.Locator($"#left-behind-{order}");
        await Expect(row).ToContainTextAsync(code);
        await Expect(d.Locator("#transfer-reason")).ToHaveValueAsync("出差前往株洲电厂，工单转派他人");
        // The first person offered: someone of the branch who may take the order today.
        var choice = row.Locator($"select[name='technician-{order}']");
        var to = await choice.Locator("option").Nth(1).GetAttributeAsync("value");
        await choice.SelectOptionAsync(to!);
        await NoEnglish(d);
        await app.Shot(d, "console-trip-transfer.png");
        await d.ClickAsync("#transfer-all");
        await Expect(d.Locator(".flash").First).ToContainTextAsync($"已转派：{code}");
        await Expect(d.Locator($"#left-behind-{order}")).ToHaveCountAsync(0);
        Assert.Equal(int.Parse(to!, System.Globalization.CultureInfo.InvariantCulture), (await app.Get("dispatcher", $"/api/work-orders/{order}"))["technicianId"]!.GetValue<int>());
        Assert.Empty(errors);
    }
}
