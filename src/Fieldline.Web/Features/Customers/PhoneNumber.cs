using System.Text.RegularExpressions;

namespace Fieldline.Web.Features.Customers;

/// <summary>Mainland China phone numbers: mobiles (13812345678, +86 138 1234 5678) and landlines with area code (0431-5877386).</summary>
public static partial class PhoneNumber
{
    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0[0-9]{2,3}-[0-9]{7,8}(-[0-9]{1,6})?$|^0[0-9]{9,11}$")]
    private static partial Regex Landline();

    /// <summary>The validation message (a template: {0} is the field).</summary>
    public const string Rule = "{0} must be a mainland mobile number (11 digits starting with 1) or a landline with its area code (e.g. 0431-5877386).";

    /// <summary>The canonical form, or null when <paramref name="raw"/> is not a phone number.</summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 30) return null;
        var s = Infrastructure.Http.InputRules.FoldDigits(raw).Trim().Replace(" ", "", StringComparison.Ordinal).Replace("(", "", StringComparison.Ordinal).Replace(")", "-", StringComparison.Ordinal);
        if (s.StartsWith("+86", StringComparison.Ordinal)) s = s[3..].TrimStart('-');
        else if (s.StartsWith("0086", StringComparison.Ordinal)) s = s[4..].TrimStart('-');
        var digitsOnly = s.Replace("-", "", StringComparison.Ordinal);
        if (Mobile().IsMatch(digitsOnly)) return digitsOnly;
        if (s.StartsWith("86", StringComparison.Ordinal) && Mobile().IsMatch(digitsOnly[2..])) return digitsOnly[2..];
        return Landline().IsMatch(s) ? s : null;
    }

    /// <summary>138****5678: how numbers appear where they need not be read in full.</summary>
    public static string Mask(string phone) => phone.Length >= 7 ? phone[..3] + new string('*', phone.Length - 7) + phone[^4..] : "***";
}
