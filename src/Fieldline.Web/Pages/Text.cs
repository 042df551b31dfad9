using System.Globalization;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Fieldline.Web.Pages;

/// <summary>
/// The console's face of the message catalogue (Resources/Messages*.resx, see Infrastructure/Localization/README.md).
/// Pages write the English text, <c>T["Dispatch board"]</c> or <c>T["{0} orders", n]</c>; the Chinese file translates it.
/// Coded values (statuses, types, clocks, roles) go through <see cref="Code"/>; texts from use cases arrive as
/// <see cref="Msg"/> and are shown with <see cref="Say"/>.
/// </summary>
public sealed class Text(IStringLocalizer<Messages> localizer, Features.Policy.RuleTexts rules)
{
    public static bool IsChinese => Catalogue.IsChinese;

    public string this[string english] => localizer[english];

    public string this[string english, params object[] args] => localizer[english, args];

    public string Say(Msg text) => text.Render();

    /// <summary>The display name of a coded value, e.g. Code("status", "inProgress") → 服务中 / On site.</summary>
    public string Code(string kind, string? value) => Catalogue.Code(kind, value);

    public string Code<TEnum>(string kind, TEnum value) where TEnum : struct, Enum => Catalogue.Code(kind, Infrastructure.Http.JsonNames.Of(value));

    public string Field(string field) => Catalogue.Field(field);

    /// <summary>
    /// A fine of the policy as a person names it: its name in the catalogue (<c>fine.&lt;key&gt;</c>), else the regulation's
    /// own words for its first rule (the Chinese original for a Chinese reader), else the policy's English trigger.
    /// </summary>
    public string Fine(string key, string? trigger, string? ruleIds = null) => rules.FineName(key, trigger, ruleIds);

    /// <summary>A date and time as the branch reads it (values arrive already in the branch's offset).</summary>
    public static string Time(DateTimeOffset? t) => Format.Time(t);

    public static string DayTime(DateTimeOffset? t) => t?.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    public static string Money(decimal amount) => Format.Money(amount);
}
