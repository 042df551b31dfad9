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
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) { return stored; }
    }

    /// <summary>The stored text for a page: encoded, its values marked as data (<see cref="Msg.RenderHtml"/>).</summary>
    public static Microsoft.AspNetCore.Html.HtmlString Html(string? stored, CultureInfo? culture = null)
    {
        if (string.IsNullOrEmpty(stored)) return Microsoft.AspNetCore.Html.HtmlString.Empty;
        if (stored[0] == '{')
            try { return new(Msg.FromJson(JsonNode.Parse(stored)).RenderHtml(culture)); }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) { }
        return new($"<span translate=\"no\">{System.Net.WebUtility.HtmlEncode(stored)}</span>");
    }
}
