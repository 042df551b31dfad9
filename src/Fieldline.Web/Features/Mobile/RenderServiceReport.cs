using System.Globalization;
using System.Text.Json;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fieldline.Web.Features.Mobile;

/// <summary>
/// The service report (服务报告单) of an order as a one- or two-page A4 PDF in Chinese: the order, the work done, parts,
/// charges, photo thumbnails and the customer's signature — the paper installation/repair card of ONS-20, on screen.
/// Staff and the order's technician fetch it with their login; the customer through a signed link.
/// </summary>
public sealed class RenderServiceReport(AppDbContext db, WorkOrderAccess access, BranchZones zones, TimeProvider clock, MobileOptions options, IBlobStore blobs)
{
    private const double Margin = 40, PageWidth = 595, PageHeight = 842, Bottom = PageHeight - 50;

    /// <summary>Known checklist keys of the phone app, in the words of the regulation.</summary>
    private static readonly Dictionary<string, string> ChecklistLabels = new()
    {
        ["powerOff"] = "开壳前已断电并挂牌", ["safetyBelt"] = "高处作业已系安全带", ["serviceSticker"] = "已贴售后服务贴",
        ["testRun"] = "已试机", ["modelMatchesInvoice"] = "机型与发票一致", ["breakerAndEarth"] = "电源、空开与接地符合要求",
        ["capacityMatchesRoom"] = "匹数与房间面积相符", ["plateScrews"] = "挂板螺钉数量足够", ["insulation"] = "管道保温完好",
        ["drainage"] = "排水顺畅、墙孔内高外低并封堵", ["leakageCheck"] = "试机时检查无漏电", ["sitesCleaned"] = "现场已清洁、物品归位",
        ["noLeak"] = "试机无漏水", ["toolsSecured"] = "高处工具材料已防坠落", ["powerOnTest"] = "安装前室内机已通电试机",
    };

    public async Task<byte[]> ForUser(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read service reports", [.. Roles.Office, Roles.Technician]);
        var order = await access.Load(user, id, ct);
        return await Render(order, ct);
    }

    /// <summary>For the customer's signed link: only a finished order has a report to show.</summary>
    public async Task<byte[]?> ForCustomer(long id, CancellationToken ct)
    {
        var order = await db.WorkOrders.Include(o => o.Timeline).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery()
            .FirstOrDefaultAsync(o => o.Id == id, ct);
        return order is { Status: WorkOrderStatus.Completed or WorkOrderStatus.Visited or WorkOrderStatus.Closed } ? await Render(order, ct) : null;
    }

    private async Task<byte[]> Render(WorkOrder order, CancellationToken ct)
    {
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

        using var document = new PdfDocument();
        document.Info.Title = $"服务报告 {order.Code}";
        var page = new Page(document);
        page.Title($"售后服务报告  {order.Code}");
        page.Small($"生成时间 {T(clock.GetUtcNow())}");
        page.Gap(6);
        page.Field("工单类型", TypeName(order.Type));
        page.Field("状态", order.EmptyTrip ? "已完成(空单,未发现故障)" : StatusName(order.Status));
        page.Field("客户", $"{customer.Name}  {MaskPhone(order.ContactPhone)}");
        page.Field("地址", order.Address);
        page.Field("产品", string.Join("  ", new[] { order.ProductLine, order.ProductModel, order.SerialNumber }.Where(s => !string.IsNullOrEmpty(s))));
        page.Field("保修", order.InWarranty ? "保内" : "保外");
        page.Field("故障描述", order.FaultDescription ?? "—");
        page.Field("服务技术员", technician ?? "—");
        page.Field("预约时间", order.AppointmentStart is null ? "—" : $"{T(order.AppointmentStart)} – {T(order.AppointmentEnd)[^5..]}");
        page.Field("到达时间", T(order.CheckedInAt) + (order.CheckInLat is { } lat ? $"  (定位 {lat:0.0000}, {order.CheckInLng:0.0000})" : ""));
        page.Field("完成时间", T(order.CompletedAt));
        page.Field("机身条码", order.Barcode ?? "—");
        page.Field("试机时长", order.TestRunMinutes is { } m ? $"{m} 分钟" : "—");

        page.Heading("处理结果");
        page.Text(order.Resolution ?? "—");
        if (Checklist(order.ChecklistJson) is { Count: > 0 } done)
        {
            page.Heading("检查项");
            page.Text(string.Join(";", done.Select(k => "√ " + (ChecklistLabels.TryGetValue(k, out var label) ? label : k))));
        }

        page.Heading("使用配件");
        if (order.Parts.Count == 0) page.Text("无");
        foreach (var p in order.Parts) page.Row($"{p.PartNumber}  {p.Name}", $"× {p.Quantity}");

        page.Heading("收费明细");
        if (order.Charges.Count == 0) page.Text(order.InWarranty ? "保内服务,免费" : "无");
        foreach (var c in order.Charges)
            page.Row($"{c.Description}{(c.PriceCode is null ? "" : $" ({c.PriceCode} × {c.Quantity})")}", Money(c.Amount));
        if (order.Charges.Count > 0) page.Row("合计", Money(order.Charges.Sum(c => c.Amount)), bold: true);

        var photos = files.Where(f => f.Kind == "photo").Take(6).ToList();
        if (photos.Count > 0)
        {
            page.Heading($"现场照片({files.Count(f => f.Kind == "photo")} 张)", keepWith: 150);
            page.Thumbnails(photos.Select(p => content[p.Id]).ToList());
        }
        page.Heading("客户签名", keepWith: 106);
        var signature = order.SignatureAttachmentId is { } sid ? files.FirstOrDefault(f => f.Id == sid) : files.LastOrDefault(f => f.Kind == "signature");
        if (signature is null) page.Text("—");
        else page.Image(content[signature.Id], 180, 72);
        page.Gap(10);
        page.Small("如对本次服务有疑问,请致电服务热线。本报告由 Fieldline 生成。");

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

    private static string TypeName(WorkOrderType t) => t switch
    {
        WorkOrderType.Install => "安装", WorkOrderType.Repair => "维修", WorkOrderType.Maintenance => "保养", _ => "检测",
    };

    private static string StatusName(WorkOrderStatus s) => s switch
    {
        WorkOrderStatus.Completed => "已完成", WorkOrderStatus.Visited => "已回访", WorkOrderStatus.Closed => "已关闭",
        WorkOrderStatus.InProgress => "服务中", WorkOrderStatus.Cancelled => "已取消", _ => "未完成",
    };

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
