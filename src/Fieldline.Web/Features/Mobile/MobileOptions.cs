namespace Fieldline.Web.Features.Mobile;

/// <summary>Settings of the technician app's server side (section Fieldline:Mobile).</summary>
public sealed class MobileOptions
{
    /// <summary>How long a customer's service-report link works.</summary>
    public int ReportLinkDays { get; set; } = 30;

    /// <summary>How long the customer's rating link works (the return visit is due within days, not weeks).</summary>
    public int RatingLinkDays { get; set; } = 7;

    /// <summary>
    /// The address customers reach the app at (e.g. https://service.example.com), put before the links sent by SMS; without
    /// it the SMS carries the path alone.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The CJK font of the PDF report (a .ttf, or a .ttc whose first face is used).</summary>
    public string ReportFontPath { get; set; } = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";
}
