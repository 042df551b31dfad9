namespace Fieldline.Web.Features.Mobile;

/// <summary>Settings of the technician app's server side (section Fieldline:Mobile).</summary>
public sealed class MobileOptions
{
    /// <summary>How long a customer's service-report link works.</summary>
    public int ReportLinkDays { get; set; } = 30;

    /// <summary>How long the customer's rating link works (the return visit is due within days, not weeks).</summary>
    public int RatingLinkDays { get; set; } = 7;

    /// <summary>
    /// The address customers reach the app at from the internet (e.g. https://service.example.com), put before every link
    /// given to a customer (the rating link texted on completion, the report and rating links the phone shares) — the
    /// office and the phones may reach the server by another, internal address. Without it a link is the path alone and the
    /// phone puts its own address before it.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The link a customer is given for a path of this app: <see cref="PublicBaseUrl"/> before it, when set.</summary>
    public string PublicLink(string path) => string.IsNullOrWhiteSpace(PublicBaseUrl) ? path : PublicBaseUrl.Trim().TrimEnd('/') + path;

    /// <summary>The CJK font of the PDF report (a .ttf, or a .ttc whose first face is used).</summary>
    public string ReportFontPath { get; set; } = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";
}
