using System.Text.RegularExpressions;

namespace Fieldline.Web.Features.Customers;

/// <summary>
/// Mainland China phone numbers: mobiles (13812345678, +86 138 1234 5678) and landlines with area code (0431-5877386),
/// each in one canonical form however it was typed, so that the same caller is one customer, a duplicate is refused, and
/// every search by number (customers, intake caller identification, work orders, the call register, complaints) finds it.
/// </summary>
public static partial class PhoneNumber
{
    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();

    // An extension written with a word or sign before it: "转 123", "ext. 123", "x123", "#123", "分机123".
    [GeneratedRegex(@"\s*(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})$", RegexOptions.IgnoreCase)]
    private static partial Regex WordExtension();

    // What is left once the extension word is taken off: digits, and the separators people put between their groups.
    [GeneratedRegex(@"^[\-\s.()/]*[0-9]+(?:[\-\s.()/]+[0-9]+)*[\-\s.()/]*$")]
    private static partial Regex Grouped();

    [GeneratedRegex(@"[\-\s.()/]+")]
    private static partial Regex Separators();

    /// <summary>The validation message (a template: {0} is the field).</summary>
    public const string Rule = "{0} must be a mainland mobile number (11 digits starting with 1) or a landline with its area code (e.g. 0431-5877386).";

    /// <summary>
    /// The canonical form, or null when <paramref name="raw"/> is not a phone number: a mobile as its 11 digits; a landline
    /// as area code, "-", local number (7 or 8 digits), and "-" extension when there is one ("0731-8888777", "010-12345678-12").
    /// The area code is told from the digits, not from where the caller put a separator: 010 and 02x are three digits long
    /// (Beijing, and the large cities 020–029), every other code four (0731) — so "07318888777", "0731 888 8777",
    /// "(0731)8888777", "+86 731 8888777" and "0086-731-8888777" are one number.
    /// </summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 30) return null;
        var s = Infrastructure.Http.InputRules.FoldDigits(raw).Trim();
        string? extension = null;
        if (WordExtension().Match(s) is { Success: true } word)
        {
            extension = word.Groups[1].Value;
            s = s[..word.Index].TrimEnd();
        }
        var international = false;
        if (s.StartsWith('+')) { s = s[1..].TrimStart(); international = true; }
        if (!Grouped().IsMatch(s)) return null;
        var groups = Separators().Split(s).Where(g => g.Length > 0).ToList();
        var digits = string.Concat(groups);
        // The country code: "+86" / "0086", or a bare "86" in front of a mobile. An international landline drops the area
        // code's leading 0 (+86 731 …); some write it anyway (+86 (0731) …).
        if (digits.StartsWith("0086", StringComparison.Ordinal)) { digits = digits[4..]; international = true; }
        else if (international)
        {
            if (!digits.StartsWith("86", StringComparison.Ordinal)) return null;
            digits = digits[2..];
        }
        if (extension is null && Mobile().IsMatch(digits)) return digits;
        if (!international && extension is null && digits.StartsWith("86", StringComparison.Ordinal) && Mobile().IsMatch(digits[2..])) return digits[2..];
        if (international && !digits.StartsWith('0')) digits = "0" + digits;
        return Landline(digits, groups[^1], extension);
    }

    private static string? Landline(string digits, string lastGroup, string? extension)
    {
        if (digits.Length < 2 || digits[0] != '0' || digits[1] == '0') return null;
        var area = digits[1] is '1' or '2' ? 3 : 4;
        var local = digits.Length - area;
        // More than a local number's 8 digits: the last group, set apart by a separator, is the extension (0431-5877386-123).
        if (extension is null && local > 8 && lastGroup.Length <= 6 && local - lastGroup.Length is 7 or 8)
        {
            extension = lastGroup;
            local -= lastGroup.Length;
            digits = digits[..^lastGroup.Length];
        }
        if (local is not (7 or 8)) return null;
        return $"{digits[..area]}-{digits[area..]}" + (extension is null ? "" : "-" + extension);
    }

    /// <summary>138****5678: how numbers appear where they need not be read in full.</summary>
    public static string Mask(string phone) => phone.Length >= 7 ? phone[..3] + new string('*', phone.Length - 7) + phone[^4..] : "***";
}
