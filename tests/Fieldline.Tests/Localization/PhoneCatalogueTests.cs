using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Fieldline.Tests.Localization;

/// <summary>
/// The phone app (wwwroot/m) shows its texts through <c>t(key)</c>, which falls back to the key itself: a key missing from
/// the catalogue shows as English code in both languages (h4 F5: the offline queue listed "price-approval-request").
/// </summary>
public sealed partial class PhoneCatalogueTests
{
    private static string Web()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fieldline.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "Fieldline.Web");
    }

    private static HashSet<string> Keys(string file) =>
        XDocument.Load(Path.Combine(Web(), "Resources", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    private static string Scripts() =>
        string.Join("\n", Directory.EnumerateFiles(Path.Combine(Web(), "wwwroot", "m", "js"), "*.js").Select(File.ReadAllText));

    /// <summary><c>enqueue(id, 'meal-report', …)</c>: the actions the outbox can hold.</summary>
    [GeneratedRegex(@"\benqueue\(\s*[^,()]+,\s*'([a-z-]+)'")]
    private static partial Regex Enqueued();

    /// <summary><c>t('waiting')</c>, <c>t('actions.photo')</c>: a key written out in full (not one built from a value).</summary>
    [GeneratedRegex(@"\bt\(\s*'([A-Za-z_][\w.\-]*)'")]
    private static partial Regex StaticKey();

    [Fact]
    public void Every_action_the_phone_can_queue_has_a_label_in_both_languages()
    {
        var actions = Enqueued().Matches(Scripts()).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "accept", "complete", "photo", "price-approval-request", "meal-report" }, actions);
        foreach (var file in new[] { "Messages.resx", "Messages.zh-CN.resx" })
        {
            var keys = Keys(file);
            var missing = actions.Where(a => !keys.Contains($"m.actions.{a}")).Order().ToList();
            Assert.True(missing.Count == 0, $"{file} has no label for the queued action(s) (scripts/i18n.py add --id m.actions.<action> …): {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void Every_text_key_the_phone_names_is_in_both_languages()
    {
        var used = StaticKey().Matches(Scripts()).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(used.Count > 150, $"the scan found only {used.Count} keys: is it still looking in the right place?");
        foreach (var file in new[] { "Messages.resx", "Messages.zh-CN.resx" })
        {
            var keys = Keys(file);
            var missing = used.Where(k => !keys.Contains($"m.{k}") && !keys.Contains(k)).Order().ToList();
            Assert.True(missing.Count == 0, $"{file} lacks the phone's text(s): {string.Join(", ", missing)}");
        }
    }
}
