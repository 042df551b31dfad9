using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Issue 16 in Debian's chromium: the return-visit queue holds, beside the orders, a registered unit due for its periodic
/// visit (RV-02) and a unit the customer collected from the depot without a work order (SHOP-02), each named in Chinese
/// with its rule; the agent records the periodic one from the queue and it leaves.
/// </summary>
public sealed class UnitVisitQueueTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task The_queue_shows_a_periodic_RV02_and_a_depot_SHOP02_visit_in_Chinese_and_the_agent_records_the_periodic_one()
    {
        // RV-02 every 90 days: the unit bought on 2026-03-01 is due (the sandbox clock is at 2026-12-01).
        await app.Send("manager", HttpMethod.Put, "/api/policy", new { basedOn = "generic", parameters = new { returnVisit = new { periodicIntervalDays = 90 } } });
        var (_, customerPhone, serial) = await app.Customer("孙女士");
        var product = (await app.Get("clerk", $"/api/products/{serial}"))["id"]!.GetValue<int>();

        // SHOP-02: a purifier carried in without a work order, repaired and collected.
        var depotPhone = $"137{Random.Shared.Next(10_000_000, 99_999_999)}";
        var receipt = await app.Send("supervisor", HttpMethod.Post, "/api/depot/receipts", new
        {
            customerName = "赵先生", customerPhone = depotPhone,
            units = new[] { new { product = "净水器 RO-400", serialNumber = "SN-RO-4001", fault = "不出水", accessories = "电源适配器", kind = "repair" } },
        });
        var unit = receipt["units"]!.AsArray().Single()!["id"]!.GetValue<long>();
        await app.Send("supervisor", HttpMethod.Post, $"/api/depot/units/{unit}/repair", new { note = "更换水泵" });
        await app.Send("supervisor", HttpMethod.Post, $"/api/depot/units/{unit}/hand-back");

        await using var office = await app.Desktop();
        var agent = await app.SignIn(office, "visitor");
        var errors = new List<string>();
        agent.PageError += (_, e) => errors.Add(e);
        await agent.GotoAsync("/return-visits");
        var depot = agent.Locator($"#visit-depot-{unit}");
        await Expect(depot).ToContainTextAsync(receipt["number"]!.GetValue<string>());
        await Expect(depot).ToContainTextAsync("送修回访");
        await Expect(depot.Locator("a.tel")).ToHaveAttributeAsync("href", $"tel:{depotPhone}");
        var periodic = agent.Locator($"#visit-periodic-{product}");
        await Expect(periodic).ToContainTextAsync(serial);
        await Expect(periodic).ToContainTextAsync("定期回访");
        await Expect(periodic).ToContainTextAsync("孙女士");
        await Expect(periodic.Locator("a.tel")).ToHaveAttributeAsync("href", $"tel:{customerPhone}");
        await Expect(periodic.Locator("select[name=outcome] option[value=reached]")).ToHaveTextAsync("已联系上");
        // Chinese only: no purpose codes or English labels in the rows.
        foreach (var row in new[] { depot, periodic })
        {
            var text = await row.InnerTextAsync();
            Assert.DoesNotContain("periodic", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("depot", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Record", text, StringComparison.Ordinal);
        }
        await periodic.ScrollIntoViewIfNeededAsync();
        await app.Shot(agent, "console-return-visits-units.png");

        // The customer is reached: satisfied, with a remark; the periodic visit leaves the queue, the depot one stays.
        await periodic.Locator("select[name=outcome]").SelectOptionAsync("reached");
        await periodic.Locator("select[name=satisfaction]").SelectOptionAsync("4");
        await periodic.Locator("input[name=remarks]").FillAsync("机器运行正常,提醒换滤网");
        await periodic.Locator("button[type=submit]").ClickAsync();
        await Expect(agent.Locator(".flash").First).ToContainTextAsync("回访");
        await Expect(agent.Locator($"#visit-periodic-{product}")).ToHaveCountAsync(0);
        await Expect(agent.Locator($"#visit-depot-{unit}")).ToHaveCountAsync(1);
        await app.Shot(agent, "console-return-visits-unit-recorded.png");

        var due = (await app.Get("visitor", "/api/return-visits/due"))["items"]!.AsArray();
        Assert.DoesNotContain(due, v => v!["productId"]?.GetValue<int>() == product);
        Assert.Contains(due, v => v!["depotUnitId"]?.GetValue<long>() == unit);
        Assert.Empty(errors);
    }
}
