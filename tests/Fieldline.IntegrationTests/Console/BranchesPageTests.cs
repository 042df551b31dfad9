using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class BranchesPageTestsOnSqlite(SqliteFixture app) : BranchesPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class BranchesPageTestsOnPostgres(PostgresFixture app) : BranchesPageTests(app);

/// <summary>
/// 网点与工作日历: a head-office admin opens a branch (GOV-08) and a manager keeps its working calendar — the hours, lunch,
/// working days, holidays and make-up days every deadline counts in — on a page, not only through the API.
/// </summary>
public abstract class BranchesPageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    private async Task<System.Text.Json.Nodes.JsonNode> Calendar(int branch) =>
        (await _given.Manager.Get($"/api/branches/{branch}/calendar")).Expect(HttpStatusCode.OK).Body;

    [Fact]
    public async Task An_admin_opens_a_branch_and_a_manager_sets_its_holidays_and_hours_while_a_bad_date_or_a_stale_form_changes_nothing()
    {
        var name = $"测试网点{Guid.NewGuid():N}"[..10];
        var headOffice = (await app.Api("admin").Get("/api/branches")).Expect(HttpStatusCode.OK).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var admin = await ConsoleSession.SignIn(app, "admin");
        var empty = await admin.Get("/manage/branches");
        Assert.Contains("新建网点", empty);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(empty));
        var created = await admin.Post("/manage/branches?handler=Create", [F("NewName", name), F("NewParentId", headOffice.ToString()), F("NewTimeZone", "Asia/Shanghai")]);
        Assert.Contains(name, created);
        var branch = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<int>();
        var twice = await admin.Post("/manage/branches?handler=Create", [F("NewName", name), F("NewParentId", headOffice.ToString()), F("NewTimeZone", "Asia/Shanghai")]);
        Assert.Contains("class=\"flash bad\"", twice); // the name is taken

        var manager = await ConsoleSession.SignIn(app, "manager");
        var form = await manager.Get($"/manage/branches?branch={branch}");
        Assert.Contains("工作日历", form);
        Assert.Contains("周六", form);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(form));
        var url = $"/manage/branches?handler=Calendar&branch={branch}";
        List<KeyValuePair<string, string>> Calendar(string end, string holidays, int version) =>
        [
            F("WorkStart", "08:30"), F("WorkEnd", end), F("LunchStart", "12:00"), F("LunchEnd", "13:00"),
            .. Enumerable.Range(1, 6).Select(d => F("WorkingDays", d.ToString())),
            F("Holidays", holidays), F("ExtraWorkingDays", "2026-10-11"), F("Version", version.ToString()),
        ];
        var saved = await manager.Post(url, Calendar("17:30", "2026-10-01\n2026-10-02", 0));
        Assert.Contains("2026-10-02", saved);
        var stored = await this.Calendar(branch);
        Assert.Equal(("08:30", "17:30", "12:00", "13:00", 1), (stored["workStart"]!.GetValue<string>(), stored["workEnd"]!.GetValue<string>(),
            stored["lunchStart"]!.GetValue<string>(), stored["lunchEnd"]!.GetValue<string>(), stored["version"]!.GetValue<int>()));
        Assert.Equal([1, 2, 3, 4, 5, 6], stored["workingDays"]!.AsArray().Select(d => d!.GetValue<int>()));
        Assert.Equal(["2026-10-01", "2026-10-02"], stored["holidays"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(["2026-10-11"], stored["extraWorkingDays"]!.AsArray().Select(d => d!.GetValue<string>()));

        // A date that is not one, and an end before the start: named next to their fields, kept as typed, nothing stored.
        var badDate = await manager.Post(url, Calendar("17:30", "2026-13-01", 1));
        Assert.Contains("“2026-13-01”不是有效日期", badDate);
        Assert.Contains("2026-13-01</textarea>", badDate);
        var badHours = await manager.Post(url, Calendar("07:00", "2026-10-01", 1));
        Assert.Contains("field-error", badHours);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(badHours));
        // A form read before someone else saved (version 0) cannot overwrite the newer calendar.
        var stale = await manager.Post(url, Calendar("18:00", "", 0));
        Assert.Contains("class=\"flash bad\"", stale);
        var after = await this.Calendar(branch);
        Assert.Equal(("17:30", 1, 2), (after["workEnd"]!.GetValue<string>(), after["version"]!.GetValue<int>(), after["holidays"]!.AsArray().Count));

        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.Equal(HttpStatusCode.Forbidden, await dispatcher.Status("/manage/branches"));
        Assert.DoesNotContain("href=\"/manage/branches\"", await dispatcher.Get("/board"));
    }
}
