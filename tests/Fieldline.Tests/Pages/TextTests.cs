using System.Globalization;
using System.Text.RegularExpressions;
using Fieldline.Web.Pages;

namespace Fieldline.Tests.Pages;

public sealed partial class TextTests
{
    [GeneratedRegex("""T\["((?:[^"\\]|\\.)+)"\]""")]
    private static partial Regex Lookup();

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fieldline.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void Every_text_a_page_shows_has_a_Chinese_translation()
    {
        var pages = Path.Combine(Root(), "src", "Fieldline.Web", "Pages");
        var used = Directory.EnumerateFiles(pages, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => Lookup().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.NotEmpty(used);
        var missing = used.Except(Text.Keys).Order().ToList();
        Assert.True(missing.Count == 0, "No Chinese for: " + string.Join(" | ", missing));
    }

    [Fact]
    public void The_console_speaks_Chinese_by_default_and_English_when_asked()
    {
        var t = new Text();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            Assert.Equal("派工看板", t["Dispatch board"]);
            Assert.Equal("服务中", t.Code("status", "inProgress"));
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Dispatch board", t["Dispatch board"]);
            Assert.Equal("On site", t.Code("status", "inProgress"));
        }
        finally { CultureInfo.CurrentUICulture = before; }
    }

    [Fact]
    public void A_field_error_from_a_use_case_is_shown_in_Chinese_naming_the_field()
    {
        var t = new Text();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            Assert.Equal("请填写故障描述。", t.Validation("faultDescription", "'faultDescription' is required."));
            Assert.Equal("故障描述为必填项(现行服务规范第 3 版要求)。",
                t.Validation("faultDescription", "'faultDescription' is required by the policy in force (intake.requiredFields, version 3)."));
            Assert.Contains("电话须为 11 位手机号", t.Validation("customer.phone", "'customer.phone' must be a mainland mobile number (11 digits starting with 1) or a landline"));
        }
        finally { CultureInfo.CurrentUICulture = before; }
    }

    [Fact]
    public void Times_in_evidence_and_timeline_data_are_shown_in_the_branchs_time_not_as_UTC_text()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{"clock":"completion","dueAt":"2026-11-27T01:00:00+00:00","actualAt":null,"lateMinutes":95,"note":"2026 年"}""");
        var line = Fieldline.Web.Pages.WorkOrders.DetailsModel.Data(doc.RootElement, TimeSpan.FromHours(8));
        Assert.Equal("clock: completion · dueAt: 2026-11-27 09:00 · lateMinutes: 95 · note: 2026 年", line);
        using var nested = System.Text.Json.JsonDocument.Parse("""{"complaint":{"level":"brand","at":"2026-12-01T01:00:00+00:00"}}""");
        Assert.Equal("complaint.level: brand · complaint.at: 2026-12-01 09:00", Fieldline.Web.Pages.WorkOrders.DetailsModel.Data(nested.RootElement, TimeSpan.FromHours(8)));
    }
}
