using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class ConfirmationsPageTestsOnSqlite(SqliteFixture app) : ConfirmationsPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class ConfirmationsPageTestsOnPostgres(PostgresFixture app) : ConfirmationsPageTests(app);

/// <summary>
/// 客户确认书 (/quality/confirmations): the dispatcher, who keeps INS-03's confirmations, sees the customer's signature and
/// files the original from the page; the supervisor reads it; the warehouse keeper sees only the ones they keep; the clerk has no such page.
/// </summary>
public abstract partial class ConfirmationsPageTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private static readonly string Png = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng);

    [GeneratedRegex("id=\"file-(\\d+)\"[\\s\\S]*?name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex FileForm();

    /// <summary>The table row that names <paramref name="signer"/>.</summary>
    private static string Row(string page, string signer)
    {
        var start = page.LastIndexOf("<tr", page.IndexOf(signer, StringComparison.Ordinal), StringComparison.Ordinal);
        return page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private async Task<long> InstalledWithACapacityConfirmation(string signer)
    {
        var (id, tech) = await _given.OnSite(model: "KFR-72LW");
        (await tech.Post($"/api/work-orders/{id}/complete", new
        {
            resolution = "安装完成", faultCategory = "component", barcode = $"GR{Guid.NewGuid():N}"[..14], testRunMinutes = 30, signature = Png, photos = new[] { Png },
            checklist = new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = false },
            confirmations = new[] { new { topic = "capacityMismatch", signerName = signer, signature = Png } },
        })).Expect(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task The_dispatcher_sees_a_pending_confirmation_with_its_signature_and_files_the_original_on_the_page()
    {
        var signer = $"李{Guid.NewGuid():N}"[..8];
        var order = await InstalledWithACapacityConfirmation(signer);
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.Contains("href=\"/quality/confirmations\"", await dispatcher.Get("/orders"), StringComparison.Ordinal);
        var row = Row(await dispatcher.Get("/quality/confirmations"), signer);
        Assert.Contains("制冷量与房间面积不匹配", row, StringComparison.Ordinal);
        var form = FileForm().Match(row);
        Assert.True(form.Success);
        Assert.Contains($"/orders/{order}?handler=Attachment", row, StringComparison.Ordinal);
        var (type, bytes) = await dispatcher.Download(Regex.Match(row, "<img[^>]* src=\"([^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal));
        Assert.Equal("image/png", type);
        Assert.Equal(Given.TinyPng, bytes);

        var done = await dispatcher.Post("/quality/confirmations?handler=File&status=", new Dictionary<string, string>
        {
            ["id"] = form.Groups[1].Value, ["version"] = form.Groups[2].Value,
        });
        Assert.Contains("已收存。", done, StringComparison.Ordinal);
        Assert.DoesNotContain(signer, await dispatcher.Get("/quality/confirmations?status=pending"), StringComparison.Ordinal);
        Assert.Contains(signer, await dispatcher.Get("/quality/confirmations?status=filed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_warehouse_keeper_does_not_see_the_dispatchers_confirmations_and_the_clerk_has_no_page()
    {
        var signer = $"赵{Guid.NewGuid():N}"[..8];
        await InstalledWithACapacityConfirmation(signer);
        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        var row = Row(await supervisor.Get("/quality/confirmations"), signer);
        Assert.Contains("调度员", row, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"file-", row, StringComparison.Ordinal); // the supervisor reads; the dispatcher keeps
        var keeper = await ConsoleSession.SignIn(app, "warehouse");
        Assert.DoesNotContain(signer, await keeper.Get("/quality/confirmations?status="), StringComparison.Ordinal);
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        Assert.Equal(HttpStatusCode.Forbidden, await clerk.Status("/quality/confirmations"));
        Assert.DoesNotContain("href=\"/quality/confirmations\"", await clerk.Get("/orders"), StringComparison.Ordinal);
    }
}
