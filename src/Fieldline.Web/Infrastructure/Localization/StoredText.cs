using System.Globalization;
using System.Text.Json.Nodes;

namespace Fieldline.Web.Infrastructure.Localization;

/// <summary>A text stored for later (a notification's title and body): a <see cref="Msg"/> as JSON, rendered when it is read.</summary>
public static class StoredText
{
    /// <summary>The stored text in <paramref name="culture"/>; a row written before texts were stored as Msgs shows as written.</summary>
    public static string Render(string? stored, CultureInfo? culture = null)
    {
        if (string.IsNullOrEmpty(stored)) return "";
        if (stored[0] != '{') return stored;
        try { return Msg.FromJson(JsonNode.Parse(stored)).Render(culture); }
        catch (System.Text.Json.JsonException) { return stored; }
    }
}
