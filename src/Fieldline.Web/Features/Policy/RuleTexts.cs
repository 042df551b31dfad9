using System.Text.Json;

namespace Fieldline.Web.Features.Policy;

public sealed record RuleText(string En, string Zh);

/// <summary>
/// Every rule of spec/regulations.md by id (e.g. INT-14): its English wording and the Chinese original of the company's
/// regulation (embedded rule-texts.json, made by scripts/rule-texts.py), so a screen can show what a number enforces.
/// </summary>
public sealed class RuleTexts
{
    private readonly Dictionary<string, RuleText> _rules;

    public RuleTexts()
    {
        using var stream = typeof(RuleTexts).Assembly.GetManifestResourceStream("Fieldline.rule-texts.json")
            ?? throw new InvalidOperationException("rule-texts.json is not embedded.");
        _rules = JsonSerializer.Deserialize<Dictionary<string, RuleText>>(stream, JsonSerializerOptions.Web)!;
    }

    public RuleText? this[string ruleId] => _rules.GetValueOrDefault(ruleId);

    /// <summary>
    /// A fine as a person names it, in the current language: its name in the catalogue (<c>fine.&lt;key&gt;</c>), else the
    /// regulation's own words for its first rule, else the policy's English trigger.
    /// </summary>
    public string FineName(string key, string? trigger, string? ruleIds)
    {
        if (Infrastructure.Localization.Catalogue.Find("fine." + key) is { } name) return name;
        var rule = ruleIds?.Split(',').Select(id => this[id.Trim()]).FirstOrDefault(r => r is not null);
        return (Infrastructure.Localization.Catalogue.IsChinese ? rule?.Zh : rule?.En) is { Length: > 0 } words ? words : trigger ?? key;
    }
}
