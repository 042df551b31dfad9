using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Parts;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Issue 18 in Debian's chromium: the keeper imports the catalogue on /warehouse and books a delivery; a technician asks
/// for the part on the phone (配件); the keeper issues it; the technician uses it off the van on the phone's completion
/// (out of warranty: the customer pays its list price in cash); the keeper receives the old part as not genuine, so the
/// brand's fine is the technician's (SC-25, PRT-03); finance sees the cash on hand and confirms the hand-in (SC-24).
/// </summary>
public sealed class PartsJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task A_part_goes_from_the_imported_catalogue_to_the_van_to_a_repair_and_back_as_a_non_genuine_old_part_whose_brand_fine_the_technician_bears()
    {
        var partNumber = $"GR-CAP-{Random.Shared.Next(10_000, 99_999)}";
        // A technician of their own, so nothing earlier tests left on tech01 (parts cost owed, cash held) changes the story.
        var user = $"t{Guid.NewGuid():N}"[..10];
        var branch = (await app.Get("manager", "/api/technicians?pageSize=1"))["items"]![0]!["branchId"]!.GetValue<int>();
        var created = await app.Send("admin", HttpMethod.Post, "/api/users", new { username = user, displayName = "配件师傅", password = PhoneApp.Password, roles = new[] { "technician" }, branchId = branch });
        await app.Send("manager", HttpMethod.Post, "/api/technicians", new { userId = created["id"]!.GetValue<int>(), skills = new[] { "ac.repair", "ac.install" }, onDuty = true, alreadyEmployed = true });
        var technicianId = await app.TechnicianId(user);

        await using var office = await app.Desktop();
        var keeper = await app.SignIn(office, "warehouse");
        var errors = new List<string>();
        keeper.PageError += (_, e) => errors.Add(e);

        // 1. The catalogue, from a workbook the clerk keeps (Chinese headers), then a supplier's delivery into the warehouse.
        await keeper.GotoAsync("/warehouse");
        var xlsx = Workbook.Of(
            ["配件编号", "配件名称", "产品线", "适用机型", "成本价", "销售价", "保修类别", "旧件返回"],
            [partNumber, "压缩机启动电容", "ac", "KFR-35GW/NhGc1B", 20m, 60m, "保内", "是"]);
        await keeper.SetInputFilesAsync("#workbook", new FilePayload { Name = "配件目录.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = xlsx });
        await keeper.ClickAsync("#import-button");
        await Expect(keeper.Locator("#catalogue")).ToContainTextAsync(partNumber);
        await Expect(keeper.Locator("#catalogue tr").Filter(new() { HasText = partNumber })).ToContainTextAsync("KFR-35GW/NhGc1B"); // a Gree model keeps its slash
        await keeper.FillAsync("#move-part", partNumber);
        await keeper.FillAsync("#move-quantity", "10");
        await keeper.FillAsync("#move-reference", "GL-20261201");
        await keeper.ClickAsync("#receive");
        await Expect(keeper.Locator(".flash.ok")).ToContainTextAsync(partNumber);
        await keeper.Locator("#catalogue").ScrollIntoViewIfNeededAsync();
        await app.Shot(keeper, "console-warehouse-catalogue.png");

        // 2. The technician asks for two on the phone, for the van.
        var (orderId, code) = await app.DispatchedOrder(user, "repair");
        await using var phoneContext = await app.Phone();
        var phone = await phoneContext.NewPageAsync();
        phone.PageError += (_, e) => errors.Add(e);
        // The phone's clock is the sandbox's: the test run is checked against the time between check-in and completion on it.
        var serverNow = (await app.Get("admin", "/api/sandbox/clock"))["now"]!.GetValue<DateTimeOffset>();
        await phone.Clock.InstallAsync(new() { TimeDate = serverNow.UtcDateTime });
        await phone.GotoAsync("/m");
        await phone.FillAsync("#username", user);
        await phone.FillAsync("#password", PhoneApp.Password);
        await phone.ClickAsync("#login");
        await phone.WaitForSelectorAsync("#newOrders");
        await phone.ClickAsync("#tab-parts");
        await phone.WaitForSelectorAsync("#reqForm");
        await phone.FillAsync("#reqPart", partNumber);
        await phone.FillAsync("#reqQuantity", "2");
        await phone.FillAsync("#reqNote", "车上备用");
        await phone.ClickAsync("#reqSubmit");
        await Expect(phone.Locator("#reqList")).ToContainTextAsync(partNumber);
        await app.Shot(phone, "mobile-parts-requisition.png");

        // 3. The keeper issues it: the stock moves from the warehouse to the van.
        await keeper.GotoAsync("/warehouse");
        var requisition = keeper.Locator("#requisitions tr").Filter(new() { HasText = partNumber });
        await Expect(requisition).ToContainTextAsync("配件师傅");
        await app.Shot(keeper, "console-warehouse-requisition.png");
        await requisition.Locator("button[id^=issue-]").ClickAsync();
        await Expect(keeper.Locator("#requisitions tr").Filter(new() { HasText = partNumber })).ToHaveCountAsync(0);
        var van = (await app.Get("warehouse", $"/api/stock?partNumber={partNumber}")).AsArray();
        Assert.Equal(2, van.Single(s => s!["technicianId"]?.GetValue<int>() == technicianId)!["onHand"]!.GetValue<int>());

        // 4. The repair on the phone: accepted, on site 40 minutes, one capacitor off the van, paid in cash at its list price.
        await phone.ClickAsync("#tab-orders");
        await phone.ClickAsync($"[data-order='{orderId}']");
        await phone.WaitForSelectorAsync("#code");
        await phone.ClickAsync("#accept");
        await Expect(phone.Locator("#status")).ToHaveTextAsync("已接单");
        await phone.ClickAsync("#saveContact");
        await Expect(phone.Locator("#status")).ToHaveTextAsync("已预约");
        var checkedIn = PhoneApp.Answer(phone, "check-in");
        await phone.ClickAsync("#checkIn");
        await Expect(phone.Locator("#status")).ToHaveTextAsync("服务中");
        await checkedIn;
        await Expect(phone.Locator("#queue")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await phone.Clock.FastForwardAsync("40:00");
        await app.Send("admin", HttpMethod.Post, "/api/sandbox/clock", new { advanceMinutes = 40 });
        foreach (var box in await phone.Locator("input[id^='chk-']").AllAsync()) await box.CheckAsync();
        await phone.FillAsync("#testRun", "35");
        await phone.SetInputFilesAsync("#photoInput", new FilePayload { Name = "unit.png", MimeType = "image/png", Buffer = TestImage.Png(640, 480) });
        await Expect(phone.Locator("#photos img")).ToHaveCountAsync(1);
        var serial = (await app.Get("manager", $"/api/work-orders/{orderId}"))["product"]!["serialNumber"]!.GetValue<string>();
        await phone.FillAsync("#barcode", serial);
        await Expect(phone.Locator("#unitModel")).ToHaveValueAsync("KFR-35GW/NhGc1B"); // INS-01: the order's model, to confirm against the unit
        await phone.SelectOptionAsync("#vanPart", partNumber);
        await phone.ClickAsync("#addVanPart");
        await Expect(phone.Locator("#lines li")).ToHaveCountAsync(1);
        await Expect(phone.Locator("#lines li")).ToContainTextAsync("¥60.00");
        await phone.FillAsync("#invoice", "43005678");
        await phone.FillAsync("#resolution", "更换启动电容,试机35分钟正常");
        await phone.Locator("#sig").ScrollIntoViewIfNeededAsync();
        var pad = (await phone.Locator("#sig").BoundingBoxAsync())!;
        await phone.Mouse.MoveAsync(pad.X + 30, pad.Y + 100);
        await phone.Mouse.DownAsync();
        foreach (var (dx, dy) in new[] { (60, 40), (90, 110), (140, 50), (200, 120), (260, 60) }) await phone.Mouse.MoveAsync(pad.X + dx, pad.Y + dy, new() { Steps = 4 });
        await phone.Mouse.UpAsync();
        await phone.CheckAsync("#sticker");
        await phone.Locator("#charges").ScrollIntoViewIfNeededAsync();
        await app.Shot(phone, "mobile-completion-van-part.png");
        var completed = PhoneApp.Answer(phone, "complete");
        await phone.ClickAsync("#complete");
        await Expect(phone.Locator("#report")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await completed;
        await Expect(phone.Locator("#queue")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        var order = await app.Get("manager", $"/api/work-orders/{orderId}");
        Assert.Equal("completed", order["status"]!.GetValue<string>());
        Assert.Equal(partNumber, order["partsUsed"]!.AsArray().Single()!["partNumber"]!.GetValue<string>());
        Assert.Equal(60m, order["charges"]!.AsArray().Sum(c => c!["amount"]!.GetValue<decimal>()));
        van = (await app.Get("warehouse", $"/api/stock?partNumber={partNumber}")).AsArray();
        Assert.Equal(1, van.Single(s => s!["technicianId"]?.GetValue<int>() == technicianId)!["onHand"]!.GetValue<int>());

        // 5. The old part comes back and is not a genuine Gree part: the keeper says so.
        await keeper.GotoAsync("/warehouse");
        var old = keeper.Locator("#old-parts tr").Filter(new() { HasText = code });
        await Expect(old).ToContainTextAsync(partNumber);
        await old.Locator("input[id^=genuine-]").UncheckAsync();
        await old.Locator("input[id^=condition-]").FillAsync("非格力原装,外壳无标识");
        await old.Locator("input[id^=condition-]").ScrollIntoViewIfNeededAsync();
        await app.Shot(keeper, "console-warehouse-old-part.png");
        await old.Locator("button[id^=receive-old-]").ClickAsync();
        await Expect(keeper.Locator(".flash.ok")).ToBeVisibleAsync();

        // The brand fines the company for it; the manager records it on the order, and with a non-genuine part returned the
        // technician bears all of it (PRT-03): the case is in the manager's list, on the technician.
        var manager = await app.SignIn(office, "manager");
        await manager.GotoAsync($"/orders/{orderId}");
        await manager.FillAsync("#brand-fine-amount", "300");
        await manager.FillAsync("#brand-fine-reference", "GREE-2026-1201");
        await manager.FillAsync("#brand-fine-reason", "旧件非原装");
        await manager.Locator("#brand-fine-card").ScrollIntoViewIfNeededAsync();
        await app.Shot(manager, "console-order-brand-fine.png");
        await manager.ClickAsync("#brand-fine-save");
        await Expect(manager.Locator(".flash.ok")).ToContainTextAsync("PRT-03");
        var cases = (await app.Get("manager", $"/api/penalty-cases?workOrderId={orderId}"))["items"]!.AsArray();
        var fine = cases.Single(c => c!["penaltyKey"]!.GetValue<string>() == "nonGenuinePartReturned")!;
        Assert.Equal((300m, created["id"]!.GetValue<int>()), (fine["amount"]!.GetValue<decimal>(), fine["personUserId"]!.GetValue<int>()));
        await manager.GotoAsync("/manage/penalties?state=");
        var penalty = manager.Locator("#cases tr").Filter(new() { HasText = code });
        await Expect(penalty).ToContainTextAsync("PRT-03");
        await Expect(penalty).ToContainTextAsync("300.00");
        await penalty.ScrollIntoViewIfNeededAsync();
        await app.Shot(manager, "console-brand-fine-non-genuine.png");

        // 6. Money: the 60 CNY collected is on hand; the technician hands it in on the phone and finance confirms it.
        var finance = await app.SignIn(office, "finance");
        await finance.GotoAsync("/finance");
        await Expect(finance.Locator($"#cash-{technicianId}")).ToContainTextAsync("60.00");
        await phone.ClickAsync("#tab-month");
        await phone.ClickAsync("#declareHandIn");
        await Expect(phone.Locator("#cashOnHand .badge")).ToBeVisibleAsync();
        await finance.ReloadAsync();
        var handIn = finance.Locator("#hand-ins tr").Filter(new() { HasText = "配件师傅" });
        await Expect(handIn).ToContainTextAsync("60.00");
        await app.Shot(finance, "console-finance-cash-on-hand.png");
        await handIn.Locator("input[name=receiptNumber]").FillAsync("SJ-20261201-07");
        await handIn.Locator("button[type=submit]").ClickAsync();
        await Expect(finance.Locator(".flash.ok")).ToBeVisibleAsync();
        await Expect(finance.Locator("#hand-ins tr").Filter(new() { HasText = "配件师傅" })).ToHaveCountAsync(0);
        await Expect(finance.Locator($"#cash-{technicianId} strong")).ToHaveTextAsync(new Regex(@"^\D*0\.00$"));
        await app.Shot(finance, "console-finance-hand-in-confirmed.png");
        Assert.Empty(errors);
    }
}
