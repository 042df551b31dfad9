using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Policy;

[Collection(SqliteCollection.Name)] public sealed class PolicyListTestsOnSqlite(SqliteFixture app) : PolicyListTests(app);
[Collection(PostgresCollection.Name)] public sealed class PolicyListTestsOnPostgres(PostgresFixture app) : PolicyListTests(app);

/// <summary>
/// The lists of the regulation a company sets for itself, on the policy page: the intake's required fields (INT-02/03) and
/// the completion's evidence (CMP-09) ticked among the codes the system checks; the kits (TLS-02/03), the HR documents and
/// checklists, the materials the customer pays for, one a line, by their names, kept by their codes.
/// </summary>
public abstract class PolicyListTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private const string Kit = "list:tools.installerCrewKit";
    private const string Evidence = "list:completion.evidenceRequired";

    private async Task<System.Text.Json.Nodes.JsonObject> InForce() => (await _given.Manager.Get("/api/policy")).Expect(HttpStatusCode.OK).Body.AsObject();

    /// <summary>The editor's fields as the browser would post them: inputs (ticked boxes only) and text areas.</summary>
    private static List<KeyValuePair<string, string>> Form(string html)
    {
        var form = new HtmlParser().ParseDocument(html).QuerySelector("#policy-form")!;
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll("input[name]").OfType<IHtmlInputElement>())
            if (input.Type is not ("checkbox" or "radio") || input.IsChecked) fields.Add(new(input.Name!, input.Value));
        foreach (var area in form.QuerySelectorAll("textarea[name]").OfType<IHtmlTextAreaElement>()) fields.Add(new(area.Name!, area.Value));
        return [.. fields.Where(f => f.Key != "__RequestVerificationToken")]; // the session adds its own
    }

    private static List<KeyValuePair<string, string>> With(List<KeyValuePair<string, string>> form, string name, string value) =>
        [.. form.Where(f => f.Key != name), new(name, value)];

    private static string TextOf(List<KeyValuePair<string, string>> form, string name) => form.Single(f => f.Key == name).Value;

    private static List<string> Strings(System.Text.Json.Nodes.JsonNode? list) => list!.AsArray().Select(x => x!.GetValue<string>()).ToList();

    [Fact]
    public async Task The_policy_page_read_by_a_clerk_names_the_certificate_each_job_needs_not_its_code()
    {
        var page = await (await ConsoleSession.SignIn(app, "clerk")).Get("/manage/policy");
        Assert.Contains("焊工操作证", page);
        Assert.Contains("高处作业证", page);
        foreach (var code in new[] { ">electrician<", ">welding<", ">workAtHeight<" }) Assert.DoesNotContain(code, page);
    }

    [Fact]
    public async Task A_kit_and_the_evidence_a_completion_needs_are_changed_on_the_policy_page_and_the_items_kept_keep_their_codes()
    {
        await _given.Manager.Put("/api/policy", new { basedOn = "generic" });
        var before = await InForce();
        var kitBefore = Strings(before["parameters"]!["tools"]!["installerCrewKit"]);
        try
        {
            var manager = await ConsoleSession.SignIn(app, "manager");
            var page = await manager.Get("/manage/policy");
            var form = Form(page);
            // Shown by name, in Chinese, one a line: no code reaches the reader.
            var kitText = TextOf(form, Kit);
            Assert.Contains("焊枪", kitText.Split('\n'));
            Assert.DoesNotContain("weldingTorch", kitText, StringComparison.Ordinal);
            Assert.Equal(["barcodeScan", "gpsLocation", "photos"], form.Where(f => f.Key == Evidence).Select(f => f.Value).Order());
            Assert.Contains("条码扫描", page, StringComparison.Ordinal);
            var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
            Assert.True(english.Count == 0, "English on the Chinese policy page:\n" + string.Join("\n", english.Take(40)));

            // The welding torch goes, a hammer drill comes (typed twice, and a blank line); the multimeter typed again by its
            // code is the same item; the barcode scan is no longer asked for.
            var lines = kitText.Split('\n').Where(l => l.Trim() != "焊枪").Append("电锤").Append("  ").Append("电锤").Append("multimeter");
            form = With(form, Kit, string.Join("\n", lines));
            form = [.. form.Where(f => !(f.Key == Evidence && f.Value == "barcodeScan"))];
            await manager.Post("/manage/policy", form);

            var after = await InForce();
            Assert.Equal(before["version"]!.GetValue<int>() + 1, after["version"]!.GetValue<int>());
            Assert.Equal([.. kitBefore.Where(k => k != "weldingTorch(焊枪)"), "电锤"], Strings(after["parameters"]!["tools"]!["installerCrewKit"]));
            Assert.Equal(["photos", "gpsLocation"], Strings(after["parameters"]!["completion"]!["evidenceRequired"]).Order().Reverse());
            Assert.Equal(Strings(before["parameters"]!["tools"]!["repairTechnicianKit"]), Strings(after["parameters"]!["tools"]!["repairTechnicianKit"]));
            Assert.Equal(Strings(before["parameters"]!["intake"]!["requiredFields"]), Strings(after["parameters"]!["intake"]!["requiredFields"]));

            // Publishing again as the page shows it (another number changed) keeps the lists as they now are.
            page = await manager.Get("/manage/policy");
            form = With(Form(page), "p:dispatch.repairContactTargetMinutes", "25");
            Assert.Contains("电锤", TextOf(form, Kit).Split('\n'));
            await manager.Post("/manage/policy", form);
            var again = await InForce();
            Assert.Equal(25, again["parameters"]!["dispatch"]!["repairContactTargetMinutes"]!.GetValue<int>());
            Assert.Equal(Strings(after["parameters"]!["tools"]!["installerCrewKit"]), Strings(again["parameters"]!["tools"]!["installerCrewKit"]));
            Assert.Equal(["photos", "gpsLocation"], Strings(again["parameters"]!["completion"]!["evidenceRequired"]).Order().Reverse());
        }
        finally { await _given.Manager.Put("/api/policy", new { basedOn = "generic" }); }
    }

    [Fact]
    public async Task A_new_item_with_half_width_brackets_or_a_choice_the_system_does_not_know_is_refused_on_the_page_and_nothing_is_published()
    {
        await _given.Manager.Put("/api/policy", new { basedOn = "generic" });
        var before = (await InForce())["version"]!.GetValue<int>();
        try
        {
            var manager = await ConsoleSession.SignIn(app, "manager");
            var form = Form(await manager.Get("/manage/policy"));
            var page = await manager.Post("/manage/policy", With(form, Kit, TextOf(form, Kit) + "\n电锤(大号)"));
            Assert.Contains("安装队工具清单中的“电锤(大号)”不是有效条目", page, StringComparison.Ordinal);
            Assert.Contains("电锤(大号)", TextOf(Form(page), Kit), StringComparison.Ordinal); // what was typed stays for correcting

            page = await manager.Post("/manage/policy", [.. form, new(Evidence, "selfie")]);
            Assert.Contains("完工必须提供的凭证的取值“selfie”无效", page, StringComparison.Ordinal);
            Assert.Equal(before, (await InForce())["version"]!.GetValue<int>());
        }
        finally { await _given.Manager.Put("/api/policy", new { basedOn = "generic" }); }
    }

    [Fact]
    public async Task A_draft_with_a_number_that_is_not_one_names_the_parameter_by_its_label_beside_its_input_once_and_keeps_the_revision_note()
    {
        await _given.Manager.Put("/api/policy", new { basedOn = "generic" });
        var before = (await InForce())["version"]!.GetValue<int>();
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        var form = Form(await dispatcher.Get("/manage/policy"));
        var fine = form.First(f => f.Key.StartsWith("fine-amount:", StringComparison.Ordinal)).Key["fine-amount:".Length..];
        form = With(With(With(form, "p:intake.infoDispatchWithinMinutes", "abc"), "note", "派工时限改为 25 分钟"), "fine-amount:" + fine, "三十");
        var page = await dispatcher.Post("/manage/policy?handler=Draft", form);

        var html = new HtmlParser().ParseDocument(page);
        var error = html.QuerySelector("#p\\:intake\\.infoDispatchWithinMinutes")!.ParentElement!.QuerySelector(".field-error")!.TextContent;
        Assert.Equal("信息派工时限（分钟）必须是数字。", error);
        Assert.Single(html.QuerySelectorAll(".flash, .field-error"), e => e.TextContent.Contains("信息派工时限", StringComparison.Ordinal)); // beside its input, not again at the top
        Assert.DoesNotContain("infoDispatchWithinMinutes必须", page, StringComparison.Ordinal);
        var fineName = Fieldline.Web.Infrastructure.Localization.Catalogue.Find("fine." + fine, Fieldline.Web.Infrastructure.Localization.Catalogue.Chinese) ?? fine;
        Assert.Equal($"{fineName} · 金额（元）须为金额（元），或留空。", html.QuerySelector($"#fine-amount\\:{fine}")!.ParentElement!.QuerySelector(".field-error")!.TextContent);
        Assert.Equal("派工时限改为 25 分钟", TextOf(Form(page), "note")); // what was typed stays for correcting
        Assert.Equal("abc", TextOf(Form(page), "p:intake.infoDispatchWithinMinutes"));
        Assert.Equal(before, (await InForce())["version"]!.GetValue<int>());
        Assert.DoesNotContain((await _given.Manager.Get("/api/policy/drafts")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
            d => d!["note"]!.GetValue<string>() == "派工时限改为 25 分钟");
    }

    [Fact]
    public async Task Through_the_api_a_code_list_takes_only_known_codes_and_a_kit_item_no_comma_and_nothing_changes_when_refused()
    {
        await _given.Manager.Put("/api/policy", new { basedOn = "generic" });
        var before = await InForce();
        try
        {
            var unknown = (await _given.Manager.Put("/api/policy", new { basedOn = "generic", parameters = new { completion = new { evidenceRequired = new[] { "photos", "selfie" } } } }))
                .Expect(HttpStatusCode.BadRequest).Body["errors"]!.AsObject();
            var message = unknown["parameters.completion.evidenceRequired"]![0]!.GetValue<string>();
            Assert.Contains("完工必须提供的凭证的取值“selfie”无效", message, StringComparison.Ordinal);
            var comma = (await _given.Manager.Put("/api/policy", new { basedOn = "generic", parameters = new { tools = new { installerCrewKit = new[] { "万用表", "电锤,大号" } } } }))
                .Expect(HttpStatusCode.BadRequest).Body["errors"]!.AsObject();
            Assert.Contains("安装队工具清单中的“电锤,大号”不是有效条目", comma["parameters.tools.installerCrewKit"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            (await _given.Manager.Put("/api/policy", new { basedOn = "generic", parameters = new { tools = new { installerCrewKit = new object[] { "万用表", 3 } } } }))
                .Expect(HttpStatusCode.BadRequest);
            Assert.Equal(before["version"]!.GetValue<int>(), (await InForce())["version"]!.GetValue<int>());

            // A kit of the company's own words, and known codes, are taken as sent.
            var taken = (await _given.Manager.Put("/api/policy", new
            {
                basedOn = "generic",
                parameters = new { tools = new { installerCrewKit = new[] { "multimeter(万用表)", "电锤（大号）" } }, completion = new { evidenceRequired = new[] { "photos" } } },
            })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(["multimeter(万用表)", "电锤（大号）"], Strings(taken["parameters"]!["tools"]!["installerCrewKit"]));
            Assert.Equal(["photos"], Strings(taken["parameters"]!["completion"]!["evidenceRequired"]));
        }
        finally { await _given.Manager.Put("/api/policy", new { basedOn = "generic" }); }
    }
}
