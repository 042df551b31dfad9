using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Tests.Localization;

/// <summary>
/// The one message catalogue (src/Fieldline.Web/Resources/Messages*.resx): every text the code shows has its Chinese,
/// every code its names in both languages, and translations keep their placeholders.
/// </summary>
public sealed partial class CatalogueTests
{
    private static readonly CultureInfo Zh = Catalogue.Chinese, En = Catalogue.English;

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fieldline.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static Dictionary<string, string> Resx(string file) =>
        XDocument.Load(Path.Combine(Root(), "src", "Fieldline.Web", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private const string Lit = """
        "((?:[^"\\]|\\.)*)"
        """;

    /// <summary>The call forms whose string is a catalogue key (scripts/i18n-missing.py scans the same).</summary>
    private static readonly Regex[] KeyForms =
    [
        new(@"\bT\[" + Lit), new(@"\bMsg\.Of\(" + Lit), new(@"\.Add\([^;()]*?(?:\([^()]*\))?[^;()]*?,\s*" + Lit),
        new(@"ValidationFailedException\.For\([^,]+,\s*" + Lit), new(@"(?:Forbidden|NotFound)Exception\(" + Lit),
        new(@"RequireAny\(" + Lit), new(@"Concurrency\.Check\(" + Lit), new(@"IllegalTransitionException\([^;]*?,\s*" + Lit + @"\)"),
        new(@"IllegalTransitionException\(" + Lit),
    ];

    [GeneratedRegex(@"^\s*//.*$", RegexOptions.Multiline)]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^[\w.\-\[\]{}]+$")]
    private static partial Regex CodeLike();

    private static IEnumerable<(string Key, string File)> KeysUsedInCode()
    {
        var web = Path.Combine(Root(), "src", "Fieldline.Web");
        foreach (var file in Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                     .Where(f => !f.Contains("Migrations", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = CommentLine().Replace(File.ReadAllText(file), "");
            foreach (var form in KeyForms)
                foreach (Match m in form.Matches(text))
                {
                    var key = Regex.Unescape(m.Groups[1].Value);
                    // A sentence or a capitalised word; lower-case code-like strings passed to .Add are field names, not texts.
                    if (key.Length > 0 && key.Any(char.IsLetter) && (!CodeLike().IsMatch(key) || char.IsUpper(key[0])))
                        yield return (key, Path.GetRelativePath(web, file));
                }
        }
    }

    [Fact]
    public void Every_text_the_code_shows_has_a_Chinese_translation()
    {
        var zh = Resx("Messages.zh-CN.resx");
        var used = KeysUsedInCode().ToList();
        Assert.True(used.Count > 300, $"the scan found only {used.Count} texts: is it still looking in the right places?");
        var missing = used.Where(u => !zh.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().Order().ToList();
        Assert.True(missing.Count == 0, "No Chinese for (scripts/i18n.py add \"<English>\" \"<中文>\"):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_id_key_is_in_both_languages()
    {
        var en = Resx("Messages.resx");
        var zh = Resx("Messages.zh-CN.resx");
        Assert.Empty(en.Keys.Except(zh.Keys));
        // An id (status.inProgress, m.login) in the Chinese file needs its English; sentences are their own English.
        var ids = zh.Keys.Where(k => Regex.IsMatch(k, @"^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9+_\-]+)+$"));
        Assert.Empty(ids.Except(en.Keys));
    }

    /// <summary>
    /// Resource names are unique ignoring case when the catalogue is compiled: of "Late" (已逾期) and "late" (迟到) one is
    /// silently dropped, and the page that asks for the other shows its English key.
    /// </summary>
    [Theory]
    [InlineData("Messages.resx")]
    [InlineData("Messages.zh-CN.resx")]
    public void No_two_keys_differ_only_in_letter_case(string file)
    {
        var clashes = Resx(file).Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g));
        Assert.Empty(clashes);
    }

    [Fact]
    public void The_English_catalogue_has_no_Chinese_in_it()
    {
        var chinese = Resx("Messages.resx").Where(e => Regex.IsMatch(e.Value, @"\p{IsCJKUnifiedIdeographs}")).Select(e => e.Key);
        Assert.Empty(chinese);
    }

    [Fact]
    public void A_stored_text_on_a_page_is_encoded_and_marks_what_people_typed_as_data()
    {
        var stored = Msg.Of("{0} — to {1}", "<b>师傅态度差</b>", Msg.Code("dept", "marketingDepartment")).ToJson().ToJsonString();
        var html = StoredText.Html(stored, Zh).Value!;
        Assert.Contains("<span translate=\"no\">&lt;b&gt;师傅态度差&lt;/b&gt;</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("marketingDepartment", html, StringComparison.Ordinal);
        Assert.DoesNotContain("to", html.Replace("translate", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void A_translation_keeps_the_placeholders_of_its_English()
    {
        var en = Resx("Messages.resx");
        var wrong = Resx("Messages.zh-CN.resx").Where(e =>
        {
            var english = en.TryGetValue(e.Key, out var v) ? v : e.Key;
            static string Set(string s) => string.Join(",", Placeholder().Matches(s).Select(m => m.Value).Distinct().Order());
            return Set(english) != Set(e.Value);
        }).Select(e => e.Key).ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_code_a_person_can_meet_has_a_name_in_both_languages()
    {
        var en = Resx("Messages.resx");
        var zh = Resx("Messages.zh-CN.resx");
        var codes = new List<string>();
        void Enum<T>(string kind) where T : struct, System.Enum => codes.AddRange(System.Enum.GetValues<T>().Select(v => $"{kind}.{JsonNames.Of(v)}"));
        Enum<WorkOrderStatus>("status");
        Enum<WorkOrderType>("type");
        Enum<Channel>("channel");
        Enum<Priority>("priority");
        Enum<ClockState>("clockState");
        Enum<PenaltyState>("penalty");
        Enum<ReviewState>("review");
        Enum<ComplaintType>("complaintType");
        Enum<ComplaintStatus>("complaintStatus");
        Enum<ComplaintLevel>("complaintLevel");
        Enum<PayLedgerKind>("ledger");
        codes.AddRange(Roles.All.Select(r => $"role.{r}"));
        codes.AddRange(typeof(Clocks).GetFields().Where(f => f.IsLiteral).Select(f => $"clock.{f.GetRawConstantValue()}"));
        var unnamed = codes.Where(c => !en.ContainsKey(c) || !zh.ContainsKey(c)).ToList();
        Assert.True(unnamed.Count == 0, "No names for: " + string.Join(", ", unnamed));
    }

    [Fact]
    public void Fieldline_speaks_Chinese_by_default_and_English_when_asked()
    {
        Assert.Equal("派工看板", Catalogue.Text("Dispatch board", Zh));
        Assert.Equal("Dispatch board", Catalogue.Text("Dispatch board", En));
        Assert.Equal("服务中", Catalogue.Code("status", "inProgress", Zh));
        Assert.Equal("On site", Catalogue.Code("status", "inProgress", En));
        Assert.Equal("空调安装", Msg.Skill("ac.install").Render(Zh));
        Assert.Equal("Air conditioner installation", Msg.Skill("ac.install").Render(En));
    }

    [Fact]
    public void A_field_error_names_the_field_in_the_readers_language()
    {
        var required = Msg.Of("{0} is required.", Msg.Field("faultDescription"));
        Assert.Equal("请填写故障描述。", required.Render(Zh));
        Assert.Equal("Fault description is required.", required.Render(En));
        // A path without a label of its own is named part by part.
        Assert.Equal("收费 #3 · 金额", Catalogue.Field("charges[2].amount", Zh));
    }

    [Fact]
    public void An_unknown_value_is_listed_by_code_and_name_for_a_Chinese_reader_and_by_code_for_an_English_one()
    {
        var v = new Validator();
        v.Enum<WorkOrderType>("fix", "type");
        v.Enum<WorkOrderType>("安装", "other", kind: "type");
        var e = Assert.Throws<ValidationFailedException>(v.ThrowIfInvalid);
        Assert.Equal("服务类型的取值“fix”无效，可选：install（安装）、repair（维修）、maintenance（保养）、inspection（巡检）。", e.Errors["type"][0].Render(Zh));
        Assert.Equal("Request type: 'fix' is not one of the allowed values: install, repair, maintenance, inspection.", e.Errors["type"][0].Render(En));
        // The name sent instead of the code is refused, and the answer says which code it stands for.
        Assert.Contains("install（安装）", e.Errors["other"][0].Render(Zh), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_a_request_may_not_send_is_not_offered()
    {
        var v = new Validator();
        Assert.Null(v.Enum<AppealState>("pending", "outcome", kind: "appeal", allowed: [AppealState.Upheld, AppealState.Reduced, AppealState.Dismissed]));
        var e = Assert.Throws<ValidationFailedException>(v.ThrowIfInvalid);
        Assert.Equal("处理结果的取值“pending”无效，可选：upheld（维持原罚）、reduced（减轻处罚）、dismissed（撤销罚款）。", e.Errors["outcome"][0].Render(Zh));
    }

    [GeneratedRegex(@"\.Enum<(?<type>[\w.]+)>\((?<args>[^;]*)")]
    private static partial Regex EnumCall();

    [GeneratedRegex(@"Msg\.Choice\(""(?<kind>\w+)""")]
    private static partial Regex ChoiceCall();

    /// <summary>
    /// An error that lists the allowed values names each (<c>phone（来电）</c>) by the kind the call gives — the field's
    /// name when it gives none. A kind without names (<c>outcome.pending</c> for an appeal) lists bare codes to a Chinese
    /// reader: every <c>Validator.Enum</c> and <c>Msg.Choice</c> in the code finds a name for each of its values.
    /// </summary>
    [Fact]
    public void Every_allowed_value_an_error_lists_has_a_name_in_both_languages()
    {
        var en = Resx("Messages.resx");
        var zh = Resx("Messages.zh-CN.resx");
        var enums = typeof(Msg).Assembly.GetTypes().Where(t => t.IsEnum).ToLookup(t => t.Name);
        var web = Path.Combine(Root(), "src", "Fieldline.Web");
        var unnamed = new List<string>();
        var calls = 0;
        foreach (var file in Directory.EnumerateFiles(web, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = CommentLine().Replace(File.ReadAllText(file), "");
            foreach (Match m in EnumCall().Matches(text))
            {
                if (file.EndsWith("Errors.cs", StringComparison.Ordinal)) continue;
                calls++;
                var args = m.Groups["args"].Value;
                var kind = Regex.Match(args, @"kind:\s*""(\w+)""") is { Success: true } k ? k.Groups[1].Value
                    : Regex.Match(args, @"^[^,]+,\s*""(\w+)""") is { Success: true } f ? f.Groups[1].Value : null;
                var type = enums[m.Groups["type"].Value.Split('.')[^1]].ToList();
                if (kind is null || type.Count == 0) { unnamed.Add($"{Path.GetRelativePath(web, file)}: cannot tell the kind or type of Enum<{m.Groups["type"].Value}>({args})"); continue; }
                foreach (var t in type)
                    foreach (var name in System.Enum.GetNames(t).Select(n => $"{kind}.{char.ToLowerInvariant(n[0])}{n[1..]}"))
                        if (!en.ContainsKey(name) || !zh.ContainsKey(name)) unnamed.Add($"{Path.GetRelativePath(web, file)}: {name}");
            }
            foreach (Match m in ChoiceCall().Matches(text))
            {
                calls++;
                var kind = m.Groups["kind"].Value + ".";
                if (!zh.Keys.Any(key => key.StartsWith(kind, StringComparison.Ordinal))) unnamed.Add($"{Path.GetRelativePath(web, file)}: no names of the kind {kind}*");
            }
        }
        Assert.True(calls > 40, $"the scan found only {calls} calls: is it still looking in the right places?");
        Assert.True(unnamed.Count == 0, "Allowed values without a name:\n" + string.Join("\n", unnamed.Distinct()));
    }

    [Fact]
    public void A_refusal_reads_in_the_readers_language_and_logs_in_English()
    {
        var refusal = new IllegalTransitionException(WorkOrderStatus.Completed, "dispatch");
        Assert.Equal("工单当前为「已完工」，不能派工。", refusal.Text.Render(Zh));
        Assert.Equal("Cannot dispatch a work order that is Completed.", refusal.Message);
    }

    [Fact]
    public void A_stored_text_renders_the_same_after_a_round_trip()
    {
        var text = Msg.Of("{0} was not found.", Msg.Of("{0} {1}", Msg.Of("Branch"), 5));
        var back = Msg.FromJson(System.Text.Json.Nodes.JsonNode.Parse(text.ToJson().ToJsonString()));
        Assert.Equal(text.Render(Zh), back.Render(Zh));
        Assert.Equal("网点 5不存在。", back.Render(Zh));
    }

    [Fact]
    public void Durations_are_words_of_the_language()
    {
        Assert.Equal("38 分钟", Format.Duration(38).Render(Zh));
        Assert.Equal("2 h 5 min", Format.Duration(125).Render(En));
        Assert.Equal("3 天 2 小时", Format.Duration(3 * 1440 + 120).Render(Zh));
    }
}
