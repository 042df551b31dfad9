using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class KitRoundAndCompanyToolTestsOnSqlite(SqliteFixture app) : KitRoundAndCompanyToolTests(app);
[Collection(PostgresCollection.Name)] public sealed class KitRoundAndCompanyToolTestsOnPostgres(PostgresFixture app) : KitRoundAndCompanyToolTests(app);

/// <summary>
/// The kit round on the phone and its month-end reminder (TLS-04), company tools issued, returned and lost (TLS-07,
/// HR-09), and a certificate's scan seen only by HR and the person (HR-12).
/// </summary>
public abstract class KitRoundAndCompanyToolTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Hr => app.Api("supervisor");

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task Policy(string preset, object? parameters = null) =>
        (await _given.Manager.Put("/api/policy", parameters is null ? new { basedOn = preset } : new { basedOn = preset, parameters })).Expect(HttpStatusCode.OK);

    /// <summary>A technician of the Changsha branch with a name of their own, so a reminder's text names them.</summary>
    private async Task<(string User, int TechnicianId, string Name, int UserId)> Named(string prefix, string[]? skills = null)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..10];
        var username = $"k{Guid.NewGuid():N}"[..12];
        var user = (await app.Api("admin").Post("/api/users", new
        {
            username, displayName = name, password = AppFixture.Password, roles = new[] { "technician" },
            branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>(),
        })).Expect(HttpStatusCode.Created).Body;
        var tech = (await _given.Manager.Post("/api/technicians", new
        {
            userId = user["id"]!.GetValue<int>(), skills = skills ?? ["ac.repair"], onDuty = true, alreadyEmployed = true,
        })).Expect(HttpStatusCode.Created).Id;
        return (username, (int)tech, name, user["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_supervisor_walks_the_kit_round_on_the_phone_a_missing_item_fines_30_and_the_person_shows_checked_this_month()
    {
        var (user, tech, name, _) = await Named("抽查");
        var round = (await Hr.Get("/api/tool-checks/round")).Expect(HttpStatusCode.OK).Body;
        var me = round["people"]!.AsArray().Single(p => p!["technicianId"]!.GetValue<int>() == tech)!;
        Assert.Equal(name, me["name"]!.GetValue<string>());
        Assert.False(me["checkedThisMonth"]!.GetValue<bool>());
        // TLS-03: the repair technician's kit, by its Chinese names, every item ticked as present to start with.
        var kit = me["kit"]!.AsArray();
        Assert.Contains(kit, k => k!["code"]!.GetValue<string>() == "refrigerantGauge" && k["name"]!.GetValue<string>() == "雪种表");
        Assert.All(kit, k => Assert.True(k!["present"]!.GetValue<bool>()));
        (await app.Api(user).Get("/api/tool-checks/round")).Expect(HttpStatusCode.Forbidden);
        (await _given.Dispatcher.Get("/api/tool-checks/round")).Expect(HttpStatusCode.Forbidden);

        // What the phone sends when the gauge is unticked.
        var present = kit.Select(k => k!["code"]!.GetValue<string>()).Where(c => c != "refrigerantGauge").ToArray();
        var check = (await Hr.Post("/api/tool-checks", new { technicianId = tech, missing = new[] { "refrigerantGauge" }, present })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(30m, check["fineAmount"]!.GetValue<decimal>());
        var after = (await Hr.Get("/api/tool-checks/round")).Expect(HttpStatusCode.OK).Body["people"]!.AsArray().Single(p => p!["technicianId"]!.GetValue<int>() == tech)!;
        Assert.True(after["checkedThisMonth"]!.GetValue<bool>());
        Assert.False(after["lastComplete"]!.GetValue<bool>());

        // The phone screen and its Chinese texts are served (the phone reads the m.* prefix of the catalogue).
        var http = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/m/js/kit.js")).StatusCode);
        var zh = JsonNode.Parse(await http.GetStringAsync("/m/i18n/zh-CN.json"))!;
        Assert.Equal("工具抽查", zh["m.kitTitle"]!.GetValue<string>());
        Assert.Contains("30", zh["m.kitSavedMissing"]!.GetValue<string>().Replace("{0}", "30", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_16_00_on_the_months_last_day_the_supervisor_is_reminded_once_of_everyone_without_a_kit_check_this_month()
    {
        var later = app.LocalNow.AddDays(40);
        var first = new DateTimeOffset(later.Year, later.Month, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var last = first.AddMonths(1).AddDays(-1);
        var month = first.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await app.At(first);
        await Policy("generic"); // spot checks monthly (TLS-04); another class may have left a preset without them
        var unchecked_ = await Named("未查");
        var checked_ = await Named("已查");
        (await Hr.Post("/api/tool-checks", new { technicianId = checked_.TechnicianId, missing = Array.Empty<string>() })).Expect(HttpStatusCode.Created);

        await app.At(new DateTimeOffset(last.Year, last.Month, last.Day, 15, 59, 0, TimeSpan.FromHours(8)));
        await app.Tick();
        Assert.DoesNotContain(await Reminders(month), n => n!["body"]!.GetValue<string>().Contains(unchecked_.Name, StringComparison.Ordinal));

        await app.At(new DateTimeOffset(last.Year, last.Month, last.Day, 16, 0, 0, TimeSpan.FromHours(8)));
        await app.Tick();
        var reminder = Assert.Single(await Reminders(month))!;
        // The reminder's record names everyone unchecked; its text names the first 40 and counts the rest (a notification
        // holds 4,000 characters: a branch of hundreds once lost its reminder on PostgreSQL).
        var named = await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Set<Fieldline.Web.Features.People.KitRoundReminder>().Where(r => r.Month == month).Select(r => r.TechnicianIds)));
        var ids = named.SelectMany(n => n.Split(',')).ToList();
        Assert.Contains(unchecked_.TechnicianId.ToString(CultureInfo.InvariantCulture), ids);
        Assert.DoesNotContain(checked_.TechnicianId.ToString(CultureInfo.InvariantCulture), ids);
        var body = reminder["body"]!.GetValue<string>();
        Assert.True(body.Contains(unchecked_.Name, StringComparison.Ordinal) || body.Contains("…(+", StringComparison.Ordinal), body);
        Assert.DoesNotContain(checked_.Name, body);
        Assert.Contains("工具抽查", reminder["title"]!.GetValue<string>());

        // Idempotent: later ticks the same day remind nobody again.
        await app.At(new DateTimeOffset(last.Year, last.Month, last.Day, 17, 30, 0, TimeSpan.FromHours(8)));
        await app.Tick();
        Assert.Single(await Reminders(month));
        // One reminder for this branch's month (other test classes' branches get their own).
        var branch = await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Technicians.Where(t => t.Id == unchecked_.TechnicianId).Select(t => t.BranchId)));
        Assert.Equal(1, await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Set<Fieldline.Web.Features.People.KitRoundReminder>()), r => r.Month == month && r.BranchId == branch)));
    }

    private async Task<List<JsonNode?>> Reminders(string month) =>
        (await Hr.Get("/api/notifications?kind=kitCheckDue&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .Where(n => n!["kind"]!.GetValue<string>() == "kitCheckDue" && n["title"]!.GetValue<string>().Contains(month, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task A_company_tool_issued_then_lost_charges_the_policys_share_and_only_an_issued_tool_can_be_returned_or_reported()
    {
        await Policy("generic", new { tools = new { lostToolCompensationPercent = 50 } });
        try
        {
            var (user, tech, _, userId) = await Named("领具");
            var drill = (await Hr.Post("/api/company-tools", new { technicianId = tech, item = "手电钻", value = 380.00m, issuedOn = D(Today) })).Expect(HttpStatusCode.Created).Body;
            Assert.Equal(("issued", "已配发", 380m), (drill["status"]!.GetValue<string>(), drill["statusName"]!.GetValue<string>(), drill["value"]!.GetValue<decimal>()));
            var meter = (await Hr.Post("/api/company-tools", new { technicianId = tech, item = "万用表", value = 120m })).Expect(HttpStatusCode.Created).Id;

            // Bad input names the field and changes nothing; other roles may not issue.
            Assert.Equal(["item", "technicianId", "value"], (await Hr.Post("/api/company-tools", new { })).Expect(HttpStatusCode.BadRequest).ErrorFields.Order());
            Assert.Equal(["value"], (await Hr.Post("/api/company-tools", new { technicianId = tech, item = "x", value = -1m })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            (await _given.Dispatcher.Post("/api/company-tools", new { technicianId = tech, item = "x", value = 1m })).Expect(HttpStatusCode.Forbidden);
            (await app.Api(user).Post("/api/company-tools", new { technicianId = tech, item = "x", value = 1m })).Expect(HttpStatusCode.Forbidden);
            Assert.Equal(2, (await app.Api(user).Get("/api/company-tools")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());
            Assert.Equal(0, (await app.Api("tech02").Get($"/api/company-tools?technicianId={tech}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());

            // TLS-07: the person reports the drill lost at once; half of 380 is charged, 190.00.
            Assert.Equal(["note"], (await app.Api(user).Post($"/api/company-tools/{drill["id"]}/report-loss", new { kind = "lost" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            var lost = (await app.Api(user).Post($"/api/company-tools/{drill["id"]}/report-loss", new { kind = "lost", note = "工地被盗" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("lost", 190.00m), (lost["status"]!.GetValue<string>(), lost["charged"]!.GetValue<decimal>()));
            var ledger = (await _given.Manager.Get($"/api/pay-ledger?personUserId={userId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            var charge = Assert.Single(ledger, l => l!["ruleId"]!.GetValue<string>().Contains("TLS-07", StringComparison.Ordinal))!;
            Assert.Equal((-190.00m, "charge"), (charge["amount"]!.GetValue<decimal>(), charge["kind"]!.GetValue<string>()));

            // Only an issued tool changes: a lost one is neither returned nor lost again (409); tech02 cannot touch it (404).
            (await Hr.Post($"/api/company-tools/{drill["id"]}/return", new { })).Expect(HttpStatusCode.Conflict);
            (await app.Api(user).Post($"/api/company-tools/{drill["id"]}/report-loss", new { kind = "damaged", note = "again" })).Expect(HttpStatusCode.Conflict);
            (await app.Api("tech02").Post($"/api/company-tools/{meter}/report-loss", new { kind = "lost", note = "不是我的" })).Expect(HttpStatusCode.NotFound);
            (await app.Api(user).Post($"/api/company-tools/{meter}/return", new { })).Expect(HttpStatusCode.Forbidden);
            var back = (await Hr.Post($"/api/company-tools/{meter}/return", new { })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("returned", back["status"]!.GetValue<string>());
            Assert.Null(back["charged"]);
        }
        finally { await Policy("generic", new { tools = new { lostToolCompensationPercent = 0 } }); }
    }

    [Fact]
    public async Task TLS07_a_technician_sees_on_the_phone_only_the_tools_issued_to_them_and_their_last_kit_check_and_reports_a_tool_lost_another_technicians_tool_is_a_404()
    {
        await Policy("generic", new { tools = new { lostToolCompensationPercent = 50 } });
        try
        {
            var (me, myTech, _, myUserId) = await Named("报失");
            var (other, otherTech, _, _) = await Named("旁人");
            var mine = (await Hr.Post("/api/company-tools", new { technicianId = myTech, item = "电流表", value = 250.00m })).Expect(HttpStatusCode.Created).Id;
            var theirs = (await Hr.Post("/api/company-tools", new { technicianId = otherTech, item = "扩管器", value = 90.00m })).Expect(HttpStatusCode.Created).Id;

            // 我的工具: the technician's own tools, whatever they ask for; "mine" keeps an office user to their own too (none here).
            var listed = (await app.Api(me).Get("/api/company-tools?mine=true")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal([mine], listed["items"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()));
            Assert.Equal(("电流表", "已配发"), (listed["items"]![0]!["item"]!.GetValue<string>(), listed["items"]![0]!["statusName"]!.GetValue<string>()));
            Assert.Equal(0, (await app.Api(me).Get($"/api/company-tools?technicianId={otherTech}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());
            Assert.DoesNotContain((await Hr.Get("/api/company-tools?mine=true&pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
                t => t!["id"]!.GetValue<long>() == mine);

            // Their last kit check, red on the phone while a tool is missing; nobody else's.
            (await Hr.Post("/api/tool-checks", new { technicianId = myTech, missing = new[] { "refrigerantGauge" } })).Expect(HttpStatusCode.Created);
            (await Hr.Post("/api/tool-checks", new { technicianId = otherTech, missing = Array.Empty<string>() })).Expect(HttpStatusCode.Created);
            var last = (await app.Api(me).Get("/api/tool-checks?mine=true&pageSize=1")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray().Single()!;
            Assert.Equal((myTech, false), (last["technicianId"]!.GetValue<int>(), last["complete"]!.GetValue<bool>()));
            Assert.Equal("雪种表", last["items"]!.AsArray().Single(i => !i!["present"]!.GetValue<bool>())!["name"]!.GetValue<string>());
            Assert.True((await app.Api(other).Get("/api/tool-checks?mine=true&pageSize=1")).Expect(HttpStatusCode.OK).Body["items"]![0]!["complete"]!.GetValue<bool>());
            Assert.DoesNotContain((await Hr.Get("/api/tool-checks?mine=true&pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
                c => c!["technicianId"]!.GetValue<int>() == myTech);

            // Another technician's tool: 404, and it stays issued. Without a note: 400 naming it, nothing changes.
            (await app.Api(me).Post($"/api/company-tools/{theirs}/report-loss", new { kind = "lost", note = "顺手报一下" })).Expect(HttpStatusCode.NotFound);
            Assert.Equal("issued", (await app.Api(other).Get("/api/company-tools")).Body["items"]![0]!["status"]!.GetValue<string>());
            Assert.Equal(["note"], (await app.Api(me).Post($"/api/company-tools/{mine}/report-loss", new { kind = "lost", note = " " })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            Assert.Equal(["kind"], (await app.Api(me).Post($"/api/company-tools/{mine}/report-loss", new { kind = "stolen", note = "x" })).Expect(HttpStatusCode.BadRequest).ErrorFields);

            // What the phone sends: lost, with what happened. TLS-07 under this policy: half of 250.00 is charged, 125.00.
            var lost = (await app.Api(me).Post($"/api/company-tools/{mine}/report-loss", new { kind = "lost", note = "小区电梯里遗失" }, idempotencyKey: Guid.NewGuid().ToString()))
                .Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("lost", "丢失", 125.00m, me), (lost["status"]!.GetValue<string>(), lost["statusName"]!.GetValue<string>(), lost["charged"]!.GetValue<decimal>(),
                lost["closedBy"]!.GetValue<string>()));
            var charge = Assert.Single((await _given.Manager.Get($"/api/pay-ledger?personUserId={myUserId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
                l => l!["ruleId"]!.GetValue<string>().Contains("TLS-07", StringComparison.Ordinal))!;
            Assert.Equal(-125.00m, charge["amount"]!.GetValue<decimal>());
            Assert.Equal("lost", (await app.Api(me).Get("/api/company-tools?mine=true")).Body["items"]![0]!["status"]!.GetValue<string>());
            (await app.Api(me).Post($"/api/company-tools/{mine}/report-loss", new { kind = "damaged", note = "又坏了" })).Expect(HttpStatusCode.Conflict);

            // The phone's screen and its Chinese texts are served.
            var http = app.Factory.CreateClient();
            Assert.Contains("report-loss", await http.GetStringAsync("/m/js/tools.js"));
            Assert.Contains("js/tools.js", await http.GetStringAsync("/m/sw.js"));
            var zh = JsonNode.Parse(await http.GetStringAsync("/m/i18n/zh-CN.json"))!;
            Assert.Equal(("我的工具", "工具不全", "报告丢失或损坏"), (zh["m.toolsTitle"]!.GetValue<string>(), zh["m.kitIncomplete"]!.GetValue<string>(), zh["m.toolsReportOpen"]!.GetValue<string>()));
            // 工具不全 is red on the phone (it was the grey of every badge).
            Assert.Matches(@"\.badge\.bad\s*\{[^}]*background:\s*var\(--red\)", await http.GetStringAsync("/m/app.css"));
        }
        finally { await Policy("generic", new { tools = new { lostToolCompensationPercent = 0 } }); }
    }

    [Fact]
    public async Task A_leaver_still_holding_a_company_tool_cannot_settle_the_debts_item_and_the_tools_page_and_checklist_show_it()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (_, tech, _, _) = await Named("离职", ["ac.install"]);
            var torch = (await Hr.Post("/api/company-tools", new { technicianId = tech, item = "焊枪", value = 260m })).Expect(HttpStatusCode.Created).Id;
            var started = (await Hr.Post($"/api/technicians/{tech}/offboarding", new { lastDay = D(Today), reason = "resigned", commissionPending = 1000 })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(["焊枪"], started["offboarding"]!["toolsToReturn"]!.AsArray().Select(t => t!["item"]!.GetValue<string>()));
            var refused = (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "settleDebtsBorrowedMaterialsAndItems" })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("焊枪", refused["detail"]!.GetValue<string>());

            var console = await ConsoleSession.SignIn(app, "supervisor");
            var hiring = await console.Get($"/people/hiring?technicianId={tech}");
            Assert.Contains("待归还的公司工具", hiring);
            var page = await console.Get($"/people/tools?technicianId={tech}");
            Assert.Contains("公司配发工具", page);
            Assert.Contains($"id=\"company-tool-{torch}\"", page);
            var returned = await console.Post("/people/tools?handler=Return", [new("technicianId", tech.ToString(CultureInfo.InvariantCulture)), new("id", torch.ToString(CultureInfo.InvariantCulture))]);
            Assert.Contains("已归还", returned);

            var settled = (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "settleDebtsBorrowedMaterialsAndItems" })).Expect(HttpStatusCode.OK).Body;
            Assert.Empty(settled["offboarding"]!["toolsToReturn"]!.AsArray());
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task A_certificate_scan_is_checked_by_its_bytes_and_seen_only_by_HR_and_the_person()
    {
        var (user, tech, _, _) = await Named("持证");
        var png = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng);
        var body = new { technicianId = tech, kind = "electrician", number = "DG-2026-001", validFrom = D(Today), validTo = D(Today.AddYears(3)), scan = png };
        Assert.Equal(["scan"], (await Hr.Post("/api/certificates", body with { scan = "data:image/png;base64," + Convert.ToBase64String("not an image"u8.ToArray()) }))
            .Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(0, (await Hr.Get($"/api/certificates?technicianId={tech}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());
        var certificate = (await Hr.Post("/api/certificates", body)).Expect(HttpStatusCode.Created).Body;
        var url = certificate["scanUrl"]!.GetValue<string>();

        var hr = await Hr.Get(url);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (hr.Status, hr.Raw.Content.Headers.ContentType!.MediaType));
        Assert.Equal(Given.TinyPng, await hr.Raw.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.Api(user).Get(url)).Status);
        Assert.Equal(url, (await app.Api(user).Get("/api/certificates")).Expect(HttpStatusCode.OK).Body["items"]![0]!["scanUrl"]!.GetValue<string>());
        // The dispatcher sees that the certificate exists, not the scan; another technician not even that.
        var seen = (await _given.Dispatcher.Get($"/api/certificates?technicianId={tech}")).Expect(HttpStatusCode.OK).Body["items"]![0]!;
        Assert.Null(seen["scanUrl"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await _given.Dispatcher.Get(url)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api("tech02").Get(url)).Status);
    }
}
