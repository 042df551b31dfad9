using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Archive;

/// <summary>An archived report's PDF and workbook for an e-mail, in the addressee's language (the outbox's e-mail channel).</summary>
public sealed class ReportAttachments(AppDbContext db, BranchZones zones, RenderReportDocument render)
{
    public async Task<IReadOnlyList<EmailAttachment>> Of(long documentId, CultureInfo culture, CancellationToken ct)
    {
        var d = await db.Set<ReportDocument>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == documentId, ct);
        if (d is null) return [];
        var branch = await db.Branches.AsNoTracking().Where(b => b.Id == d.BranchId).Select(b => b.Name).FirstAsync(ct);
        var zone = await zones.For(d.BranchId, ct);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return
            [
                new EmailAttachment(RenderReportDocument.FileName(d, "pdf"), RenderReportDocument.PdfType, render.Pdf(d, branch, TimeZoneInfo.ConvertTime(d.BuiltAt, zone))),
                new EmailAttachment(RenderReportDocument.FileName(d, "xlsx"), RenderReportDocument.XlsxType, await render.Workbook(d, branch, ct)),
            ];
        }
        finally { CultureInfo.CurrentUICulture = previous; }
    }
}
