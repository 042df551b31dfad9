using System.Globalization;
using System.Text.Json;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fieldline.Web.Features.Mobile;

/// <summary>
/// The service report (服务报告单) of an order as a one- or two-page A4 PDF, in Chinese for the customer and in the reader's
/// language for staff (every text from the message catalogue), headed by the company's name and hotline: the order, the work done, parts,
/// charges, photo thumbnails and the customer's signature — the paper installation/repair card of ONS-20, on screen.
/// Staff and the order's technician fetch it with their login; the customer through a signed link.
/// </summary>
public sealed class RenderServiceReport(AppDbContext db, WorkOrderAccess access, BranchZones zones, TimeProvider clock, MobileOptions options, IBlobStore blobs,
    PolicyStore policies)
{
    private const double Margin = 40, PageWidth = 595, PageHeight = 842, Bottom = PageHeight - 50;

    public async Task<byte[]> ForUser(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read service reports", [.. Roles.Office, Roles.Technician]);
        var order = await access.Load(user, id, ct);
        return await Render(order, CultureInfo.CurrentUICulture, ct);
    }

    /// <summary>For the customer's signed link: only a finished order has a report to show.</summary>
    public async Task<byte[]?> ForCustomer(long id, CancellationToken ct)
    {
        var order = await db.WorkOrders.Include(o => o.Timeline).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery()
            .FirstOrDefaultAsync(o => o.Id == id, ct);
        return order is { Status: WorkOrderStatus.Completed or WorkOrderStatus.Visited or WorkOrderStatus.Closed } ? await Render(order, Chinese, ct) : null;
    }

    /// <summary>The customer reads the report in Chinese; staff in the language they chose.</summary>
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    private async Task<byte[]> Render(WorkOrder order, CultureInfo culture, CancellationToken ct)
    {
        string L(string key, params object?[] args) => Msg.Of(key, args).Render(culture);
        string Code(string kind, string code) => Msg.Code(kind, code).Render(culture);
        ReportFont.EnsureInstalled(options.ReportFontPath);
        var zone = await zones.For(order.BranchId, ct);
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == order.CustomerId, ct);
        var technician = order.TechnicianId is { } tid
            ? await db.Technicians.AsNoTracking().Where(t => t.Id == tid).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct) : null;
        var files = await db.Attachments.AsNoTracking().Where(a => a.WorkOrderId == order.Id && (a.Kind == "photo" || a.Kind == "signature"))
            .OrderBy(a => a.Id).ToListAsync(ct);
        var content = new Dictionary<long, byte[]>();
        foreach (var f in files)
        {
            try { content[f.Id] = await blobs.ContentOf(f, ct); }
            catch (FileNotFoundException) { content[f.Id] = []; } // a lost file renders as an unreadable image, not a failed report
        }
        string T(DateTimeOffset? t) => t is { } v ? BranchTime.Local(v, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

        // The company's name (the head office) and hotline (the policy's intake.hotline, ONS-21) head the report.
        var company = await db.Branches.AsNoTracking().Where(b => b.ParentId == null).OrderBy(b => b.Id).Select(b => b.Name).FirstOrDefaultAsync(ct);
        var hotline = (await policies.ById(db, order.PolicyVersionId, ct)).Hotline;

        using var document = new PdfDocument();
        document.Info.Title = L("Service report {0}", order.Code);
        var page = new Page(document);
        if (!string.IsNullOrEmpty(company)) page.Small(company + (string.IsNullOrEmpty(hotline) ? "" : "  " + L("Service hotline {0}", hotline)));
        page.Title(L("After-sales service report {0}", order.Code));
        page.Small(L("Generated {0}", T(clock.GetUtcNow())));
        page.Gap(6);
        page.Field(L("Order type"), Code("type", JsonNames.Of(order.Type)));
        page.Field(L("Status"), order.EmptyTrip ? L("Completed (empty trip, no fault found)") : Code("status", JsonNames.Of(order.Status)));
        page.Field(L("Customer"), $"{customer.Name}  {MaskPhone(order.ContactPhone)}");
        page.Field(L("Address"), order.Address);
        var product = await db.Products.AsNoTracking()
            .Where(p => p.CustomerId == order.CustomerId && p.SerialNumber == order.SerialNumber)
            .Select(p => new { p.Brand, p.Model, p.InvoiceNumber }).FirstOrDefaultAsync(ct);
        page.Field(L("Product"), string.Join("  ", new[] { Code("line", order.ProductLine), product?.Brand, order.ProductModel ?? product?.Model }
            .Where(s => !string.IsNullOrEmpty(s))));
        page.Field(L("Serial number"), order.SerialNumber ?? "—");
        page.Field(L("Warranty"), order.InWarranty ? L("In warranty") : L("Out of warranty"));
        page.Field(L("Fault description"), order.FaultDescription ?? "—");
        page.Field(L("Service technician"), technician ?? "—");
        page.Field(L("Appointment time"), order.AppointmentStart is null ? "—" : $"{T(order.AppointmentStart)} – {T(order.AppointmentEnd)[^5..]}");
        page.Field(L("Arrived at"), T(order.CheckedInAt) + (order.CheckInLat is { } lat
            ? "  " + L("(location {0}, {1})", lat.ToString("0.0000", CultureInfo.InvariantCulture), order.CheckInLng?.ToString("0.0000", CultureInfo.InvariantCulture)) : ""));
        page.Field(L("Completed at"), T(order.CompletedAt));
        page.Field(L("Barcode"), order.Barcode ?? "—");
        page.Field(L("Test run"), order.TestRunMinutes is { } m ? L("{0} minutes", m) : "—");

        page.Heading(L("Result"));
        page.Text(order.Resolution ?? "—");
        if (Checklist(order.ChecklistJson) is { Count: > 0 } done)
        {
            page.Heading(L("Checklist"));
            page.Text(string.Join(L("; "), done.Select(k => "√ " + Code("checklist", k))));
        }

        page.Heading(L("Parts used"));
        if (order.Parts.Count == 0) page.Text(L("None"));
        foreach (var p in order.Parts) page.Row($"{p.PartNumber}  {p.Name}", $"× {p.Quantity}");

        page.Heading(L("Charges"));
        if (order.Charges.Count == 0) page.Text(order.InWarranty ? L("In warranty: free of charge") : L("None"));
        foreach (var c in order.Charges)
            page.Row($"{c.Description}{(c.PriceCode is null ? "" : $" ({c.PriceCode} × {c.Quantity})")}", Money(c.Amount));
        if (order.Charges.Count > 0) page.Row(L("Total"), Money(order.Charges.Sum(c => c.Amount)), bold: true);
        page.Field(L("Invoice no."), order.InvoiceNumber ?? product?.InvoiceNumber ?? "—");

        var photos = files.Where(f => f.Kind == "photo").Take(6).ToList();
        if (photos.Count > 0)
        {
            page.Heading(L("Site photos ({0})", files.Count(f => f.Kind == "photo")), keepWith: 150);
            page.Thumbnails(photos.Select(p => content[p.Id]).ToList());
        }
        page.Heading(L("Customer signature"), keepWith: 106);
        var signature = order.SignatureAttachmentId is { } sid ? files.FirstOrDefault(f => f.Id == sid) : files.LastOrDefault(f => f.Kind == "signature");
        if (signature is null) page.Text("—");
        else page.Image(content[signature.Id], 180, 72);
        page.Gap(10);
        page.Small(string.IsNullOrEmpty(hotline) ? L("Questions about this service? Call our service hotline.") : L("Questions about this service? Call our service hotline {0}.", hotline));

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static List<string> Checklist(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind != JsonValueKind.Object ? []
            : doc.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => p.Name).ToList();
    }

    private static string Money(decimal amount) => "¥" + amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The report travels by link, so the phone number is shown only in part.</summary>
    private static string MaskPhone(string phone) => phone.Length >= 11 ? phone[..3] + "****" + phone[^4..] : phone;

    /// <summary>A cursor over A4 pages: hand layout with XGraphics (MigraDoc is not available), a new page when one is full.</summary>
    internal sealed class Page
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private static readonly XFont Regular = new(ReportFont.Family, 10.5, XFontStyleEx.Regular, Unicode);
        private static readonly XFont Bold = new(ReportFont.Family, 12, XFontStyleEx.Bold, Unicode);
        private static readonly XFont Big = new(ReportFont.Family, 17, XFontStyleEx.Bold, Unicode);
        private static readonly XFont Tiny = new(ReportFont.Family, 8.5, XFontStyleEx.Regular, Unicode);
        private readonly PdfDocument _document;
        private XGraphics _g = null!;
        private double _y;

        public Page(PdfDocument document)
        {
            _document = document;
            NewPage();
        }

        private void NewPage()
        {
            var page = _document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            _g?.Dispose();
            _g = XGraphics.FromPdfPage(page);
            _y = Margin;
        }

        private void Need(double height)
        {
            if (_y + height > Bottom) NewPage();
        }

        public void Gap(double h) => _y += h;

        public void Title(string text)
        {
            _g.DrawString(text, Big, XBrushes.Black, new XPoint(Margin, _y + 17));
            _y += 26;
            _g.DrawLine(new XPen(XColors.SteelBlue, 1.5), Margin, _y, PageWidth - Margin, _y);
            _y += 6;
        }

        /// <summary>A section title, moved to the next page with what follows when less than <paramref name="keepWith"/> points are left.</summary>
        public void Heading(string text, double keepWith = 40)
        {
            Need(keepWith);
            _y += 10;
            _g.DrawString(text, Bold, XBrushes.SteelBlue, new XPoint(Margin, _y + 12));
            _y += 18;
        }

        public void Small(string text)
        {
            Need(14);
            _g.DrawString(text, Tiny, XBrushes.Gray, new XPoint(Margin, _y + 9));
            _y += 13;
        }

        public void Field(string label, string value)
        {
            var lines = Wrap(value, Regular, PageWidth - 2 * Margin - 80);
            Need(15 * lines.Count);
            _g.DrawString(label, Regular, XBrushes.DimGray, new XPoint(Margin, _y + 11));
            foreach (var line in lines)
            {
                _g.DrawString(line, Regular, XBrushes.Black, new XPoint(Margin + 80, _y + 11));
                _y += 15;
            }
        }

        public void Text(string text)
        {
            foreach (var line in text.Split('\n').SelectMany(l => Wrap(l, Regular, PageWidth - 2 * Margin)))
            {
                Need(15);
                _g.DrawString(line, Regular, XBrushes.Black, new XPoint(Margin, _y + 11));
                _y += 15;
            }
        }

        public void Row(string left, string right, bool bold = false)
        {
            var font = bold ? Bold : Regular;
            var lines = Wrap(left, font, PageWidth - 2 * Margin - 100);
            Need(15 * lines.Count);
            var width = _g.MeasureString(right, font).Width;
            _g.DrawString(right, font, XBrushes.Black, new XPoint(PageWidth - Margin - width, _y + 11));
            foreach (var line in lines)
            {
                _g.DrawString(line, font, XBrushes.Black, new XPoint(Margin, _y + 11));
                _y += 15;
            }
            _g.DrawLine(new XPen(XColors.Gainsboro, 0.5), Margin, _y + 1, PageWidth - Margin, _y + 1);
            _y += 3;
        }

        /// <summary>Three thumbnails per row, each fitted into 130×98 keeping its proportions.</summary>
        public void Thumbnails(IReadOnlyList<byte[]> images)
        {
            for (var i = 0; i < images.Count; i += 3)
            {
                Need(104);
                for (var j = 0; j < 3 && i + j < images.Count; j++) Draw(images[i + j], Margin + j * 142, _y, 130, 98);
                _y += 104;
            }
        }

        public void Image(byte[] bytes, double w, double h)
        {
            Need(h + 4);
            Draw(bytes, Margin, _y, w, h);
            _g.DrawRectangle(new XPen(XColors.Gainsboro, 0.5), Margin, _y, w, h);
            _y += h + 4;
        }

        private void Draw(byte[] bytes, double x, double y, double w, double h)
        {
            // PDFsharp reads JPEG and PNG; a WebP photo (the API accepts them) is shown as a placeholder, and so is a stored
            // image whose bytes it cannot decode (a truncated or hostile file behind a valid header): the report still renders.
            var label = ImageContent.Sniff(bytes) is not ("image/jpeg" or "image/png") ? "(WebP)" : Readable(bytes) ? null : "图片无法读取";
            if (label is not null)
            {
                _g.DrawRectangle(new XPen(XColors.Gainsboro, 0.5), x, y, w, h);
                _g.DrawString(label, Tiny, XBrushes.Gray, new XPoint(x + 4, y + 12));
                return;
            }
            using var image = XImage.FromStream(new MemoryStream(bytes));
            var scale = Math.Min(w / image.PointWidth, h / image.PointHeight);
            _g.DrawImage(image, x, y, image.PointWidth * scale, image.PointHeight * scale);
        }

        /// <summary>
        /// Whether PDFsharp can embed the image: it decodes some formats only when the document is saved, so the image is
        /// drawn into a scratch document and saved first, where a failure costs nothing but the placeholder.
        /// </summary>
        private static bool Readable(byte[] bytes)
        {
            try
            {
                using var scratch = new PdfDocument();
                using (var g = XGraphics.FromPdfPage(scratch.AddPage()))
                using (var image = XImage.FromStream(new MemoryStream(bytes)))
                {
                    if (!(image.PointWidth > 0 && image.PointHeight > 0)) return false;
                    g.DrawImage(image, 0, 0, 10, 10);
                }
                scratch.Save(Stream.Null);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return false; // PDFsharp throws many kinds for a broken file; any of them means the same here
            }
        }

        /// <summary>Breaks by width character by character: Chinese has no spaces to break at.</summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var line = new System.Text.StringBuilder();
            foreach (var rune in text.EnumerateRunes())
            {
                line.Append(rune.ToString());
                if (line.Length > 1 && _g.MeasureString(line.ToString(), font).Width > width)
                {
                    line.Length -= rune.Utf16SequenceLength;
                    lines.Add(line.ToString());
                    line.Clear().Append(rune.ToString());
                }
            }
            lines.Add(line.ToString());
            return lines;
        }
    }
}
