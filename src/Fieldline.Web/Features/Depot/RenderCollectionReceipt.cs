using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Pdf;

namespace Fieldline.Web.Features.Depot;

/// <summary>
/// The customer goods collection receipt as a PDF (SC-27, SHOP-06), in Chinese unless the reader chose English: the
/// number, the customer, each unit with its fault and accessories, the throughput due date, and the line the customer
/// signs. The layout is the service report's (<see cref="RenderServiceReport.Page"/>).
/// </summary>
public sealed class RenderCollectionReceipt(AppDbContext db, FindDepot find, MobileOptions options)
{
    public const string ContentType = "application/pdf";

    public async Task<(byte[] Pdf, string Number)> Handle(CurrentUser user, long id, CancellationToken ct)
    {
        var receipt = await find.Receipt(user, id, ct);
        var culture = CultureInfo.CurrentUICulture;
        string L(string key, params object?[] args) => Msg.Of(key, args).Render(culture);
        string Code(string kind, string code) => Msg.Code(kind, code).Render(culture);
        ReportFont.EnsureInstalled(options.ReportFontPath);
        var company = await db.Branches.AsNoTracking().Where(b => b.ParentId == null).OrderBy(b => b.Id).Select(b => b.Name).FirstOrDefaultAsync(ct);
        var branch = await db.Branches.AsNoTracking().Where(b => b.Id == receipt.BranchId).Select(b => b.Name).FirstOrDefaultAsync(ct);

        using var document = new PdfDocument();
        document.Info.Title = L("Customer goods collection receipt {0}", receipt.Number);
        var page = new RenderServiceReport.Page(document);
        if (!string.IsNullOrEmpty(company)) page.Small(company + (branch is null || branch == company ? "" : "  " + branch));
        page.Title(L("Customer goods collection receipt {0}", receipt.Number));
        page.Small(L("Received {0}", receipt.ReceivedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        page.Gap(6);
        page.Field(L("Customer"), receipt.CustomerName);
        page.Field(L("Phone"), receipt.CustomerPhone);
        for (var i = 0; i < receipt.Units.Count; i++)
        {
            var u = receipt.Units[i];
            page.Heading(L("Unit {0}", i + 1));
            page.Field(L("Product"), u.Product + (u.Kind == "return" ? "  (" + Code("depotKind", u.Kind) + ")" : ""));
            page.Field(L("Serial number"), u.SerialNumber ?? "—");
            page.Field(L("Fault description"), u.Fault);
            page.Field(L("Accessories"), u.Accessories ?? "—");
            page.Field(L("Repair due"), u.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (u.CustomerBearsAllCosts) page.Text(L("Return not approved by the general manager: the customer bears all costs."));
        }
        page.Gap(16);
        page.Text(L("Please keep this receipt and show it when you collect the goods."));
        page.Gap(20);
        page.Row(L("Customer signature"), L("Received by"));

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return (stream.ToArray(), receipt.Number);
    }
}
