using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record ImportPartsResult(int Rows, int Created, int Updated);

/// <summary>
/// The catalogue from an Excel workbook as a clerk keeps it: a header row (Chinese or English column names, any order)
/// and one part per row. Every row is checked first; a bad row is named by its row and column (the cell, e.g. E5) and
/// then nothing is imported. A part number already in the catalogue is updated, a new one added. <c>sheet</c> names the
/// worksheet to read when the workbook has several (the first by default).
/// </summary>
public sealed class ImportParts(AppDbContext db, TimeProvider clock)
{
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 20_000;

    /// <summary>The columns by their field, and the header texts that name them.</summary>
    internal static readonly (string Field, string[] Headers)[] Columns =
    [
        ("partNumber", ["配件编号", "配件编码", "物料编码", "编号", "partnumber", "part number", "part no.", "part no"]),
        ("name", ["配件名称", "名称", "name", "part name"]),
        ("productLine", ["产品线", "品类", "productline", "product line"]),
        ("fitsModels", ["适用机型", "机型", "fitsmodels", "fits models", "models"]),
        ("unitCost", ["成本价", "成本", "单位成本", "unitcost", "unit cost", "cost"]),
        ("listPrice", ["销售价", "零售价", "售价", "listprice", "list price", "price"]),
        ("warrantyClass", ["保修类别", "保修分类", "warrantyclass", "warranty class"]),
        ("mustReturn", ["旧件返回", "需返旧件", "旧件回收", "mustreturn", "must return"]),
    ];

    private static readonly string[] Required = ["partNumber", "name", "unitCost", "listPrice"];

    public async Task<ImportPartsResult> Handle(CurrentUser user, IFormFile? file, string? sheet, CancellationToken ct)
    {
        user.RequireAny("change the parts catalogue", StockLedger.Keepers);
        if (file is null || file.Length == 0) throw ValidationFailedException.For("file", "{0} is required: an Excel workbook (.xlsx).");
        if (file.Length > MaxBytes) throw ValidationFailedException.For("file", "{0} is larger than {1} MB.", MaxBytes / 1024 / 1024);
        await using var stream = new MemoryStream();
        await file.CopyToAsync(stream, ct);
        stream.Position = 0;
        var sheetName = string.IsNullOrWhiteSpace(sheet) ? null : sheet.Trim();
        var rows = XlsxSheet.Read(stream, sheetName) ?? throw (sheetName is null
            ? ValidationFailedException.For("file", "{0} is not an Excel workbook (.xlsx).")
            : ValidationFailedException.For("sheet", "{0}: the workbook has no sheet '{1}'.", sheetName));
        if (rows.Count == 0) throw ValidationFailedException.For("file", "{0} has no header row.");

        var (headerRow, header) = rows.First();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (column, text) in header)
        {
            var key = text.Trim().ToLowerInvariant();
            foreach (var (field, names) in Columns)
                if (names.Contains(key, StringComparer.Ordinal) && !columns.ContainsKey(field)) columns[field] = column;
        }
        var v = new Validator();
        foreach (var missing in Required.Where(f => !columns.ContainsKey(f)))
            v.Add("file", Msg.Of("Row {0}: the column {1} is missing from the header.", headerRow, Msg.Field(missing)));
        v.ThrowIfInvalid();
        if (rows.Count - 1 > MaxRows) throw ValidationFailedException.For("file", "{0} has more than {1} rows.", MaxRows);

        var requests = new List<(int Row, AddPartRequest Request, PartWarrantyClass Warranty)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, cells) in rows.Skip(1))
        {
            string? Cell(string field) => columns.TryGetValue(field, out var c) && cells.TryGetValue(c, out var t) ? t : null;
            string Address(string field) => XlsxSheet.Letter(columns.TryGetValue(field, out var c) ? c : 1) + row.ToString(CultureInfo.InvariantCulture);
            var parsing = new Validator();
            var request = new AddPartRequest(Cell("partNumber"), Cell("name"), Cell("productLine"),
                Cell("fitsModels")?.Split(new[] { ',', '，', ';', '；', '、' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                Money(parsing, Cell("unitCost"), "unitCost"), Money(parsing, Cell("listPrice"), "listPrice"),
                WarrantyClass(Cell("warrantyClass")), YesNo(parsing, Cell("mustReturn")));
            var checking = new Validator();
            var warranty = PartRules.Check(checking, request, f => f);
            // A cell that could not be read says so; the rules' "required" for the same cell would only repeat it.
            var errors = Errors(checking).Where(e => !parsing.Has(e.Key)).Concat(Errors(parsing)).ToList();
            foreach (var (field, messages) in errors)
                foreach (var message in messages)
                    v.Add(Address(field), Msg.Of("Row {0}, column {1}: {2}", row, XlsxSheet.Letter(columns.GetValueOrDefault(field, 1)), message));
            if (errors.Count > 0) continue;
            var number = request.PartNumber!.Trim();
            if (seen.TryGetValue(number, out var first))
            {
                v.Add(Address("partNumber"), Msg.Of("Row {0}, column {1}: part number '{2}' is already on row {3}.", row, XlsxSheet.Letter(columns["partNumber"]), number, first));
                continue;
            }
            seen[number] = row;
            requests.Add((row, request, warranty!.Value));
        }
        if (requests.Count == 0 && v.IsValid) v.Add("file", Msg.Of("{0} has no part rows under its header."));
        v.ThrowIfInvalid();

        var numbers = requests.Select(r => r.Request.PartNumber!.Trim()).ToList();
        var existing = new Dictionary<string, Part>(StringComparer.Ordinal);
        foreach (var chunk in numbers.Chunk(500))
            foreach (var p in await db.Set<Part>().Where(p => chunk.Contains(p.PartNumber)).ToListAsync(ct)) existing[p.PartNumber] = p;
        var now = clock.GetUtcNow();
        var created = 0;
        foreach (var (_, request, warranty) in requests)
        {
            if (existing.TryGetValue(request.PartNumber!.Trim(), out var part)) part.Apply(request, warranty);
            else
            {
                db.Add(PartRules.New(request, warranty, now));
                created++;
            }
        }
        await db.SaveChangesAsync(ct);
        return new ImportPartsResult(requests.Count, created, requests.Count - created);
    }

    private static IReadOnlyDictionary<string, Msg[]> Errors(Validator v)
    {
        try { v.ThrowIfInvalid(); }
        catch (ValidationFailedException e) { return e.Errors; }
        return new Dictionary<string, Msg[]>();
    }

    private static decimal? Money(Validator v, string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var cleaned = text.Replace("¥", "", StringComparison.Ordinal).Replace("￥", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim();
        if (decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) return d;
        v.Add(field, "{0}: '{1}' is not an amount.", text);
        return null;
    }

    private static string? WarrantyClass(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "保内" or "保修" or "covered" => "covered",
        "耗材" or "易耗品" or "consumable" => "consumable",
        var other => other, // the enum check names the allowed values
    };

    private static bool? YesNo(Validator v, string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "": return null;
            case "是" or "y" or "yes" or "true" or "1" or "需要" or "返回": return true;
            case "否" or "n" or "no" or "false" or "0" or "不需要" or "不返回": return false;
            default:
                v.Add("mustReturn", "{0}: '{1}' is neither yes (是) nor no (否).", text);
                return null;
        }
    }
}
