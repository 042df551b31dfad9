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
public sealed partial class ImportParts(AppDbContext db, TimeProvider clock)
{
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 20_000;

    /// <summary>
    /// The columns by their field, and the header texts that name them: what clerks call them in their own sheets, and what
    /// the warehouse export writes (so an exported catalogue imports back). Compared after <see cref="HeaderKey"/>: full-width
    /// forms, spaces, a required-mark "*" and a colon do not matter, and "成本价（元）" matches "成本价".
    /// </summary>
    internal static readonly (string Field, string[] Headers)[] Columns =
    [
        ("partNumber", ["配件编号", "配件编码", "配件代码", "配件号", "物料编码", "物料编号", "物料代码", "备件编号", "备件编码", "零件号", "零件编号", "料号", "编号", "编码",
            "partnumber", "part number", "part no.", "part no"]),
        ("name", ["配件名称", "名称", "品名", "物料名称", "备件名称", "零件名称", "name", "part name"]),
        ("productLine", ["产品线", "品类", "产品类别", "产品类型", "productline", "product line"]),
        ("fitsModels", ["适用机型", "机型", "适用型号", "适用产品型号", "fitsmodels", "fits models", "models"]),
        ("unitCost", ["成本价", "成本", "单位成本", "成本单价", "单价(成本)", "进价", "进货价", "采购价", "采购单价", "unitcost", "unit cost", "cost"]),
        ("listPrice", ["销售价", "零售价", "售价", "销售单价", "零售单价", "listprice", "list price", "price"]),
        ("warrantyClass", ["保修类别", "保修分类", "保修类型", "保修属性", "warrantyclass", "warranty class"]),
        ("mustReturn", ["旧件返回", "旧件需返回", "需返旧件", "旧件回收", "是否返旧", "是否返回旧件", "旧件是否返回", "返旧", "mustreturn", "must return",
            "old part must come back"]),
    ];

    /// <summary>The product lines a clerk may name in Chinese or English instead of their code (空调 → ac).</summary>
    internal static readonly string[] ProductLines = ["ac", "purifier", "waterHeater", "kitchen", "medical", "equipment", "dispenser"];

    /// <summary>How many rows above the header a sheet may have (a title, a date, the company's name) before the header row is given up.</summary>
    public const int HeaderSearchRows = 10;

    private static readonly string[] Required = ["partNumber", "name", "unitCost", "listPrice"];

    public async Task<ImportPartsResult> Handle(CurrentUser user, IFormFile? file, string? sheet, CancellationToken ct)
    {
        user.RequireAny("change the parts catalogue", StockLedger.Keepers);
        var rows = await ReadWorkbook(file, sheet, ct);
        var (headerRow, columns) = FindHeader(rows, Columns, Required);
        var v = new Validator();
        foreach (var missing in Required.Where(f => !columns.ContainsKey(f)))
            v.Add("file", Msg.Of("Row {0}: the column {1} is missing from the header.", headerRow, Msg.Field(missing)));
        v.ThrowIfInvalid();
        var body = rows.Where(r => r.Key > headerRow).ToList();
        if (body.Count > MaxRows) throw ValidationFailedException.For("file", "{0} has more than {1} rows.", MaxRows);

        var requests = new List<(int Row, AddPartRequest Request, PartWarrantyClass Warranty)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, cells) in body)
        {
            // A row with nothing in the catalogue's columns (a note beside the table, a blank row with a border) is not a part.
            if (!columns.Values.Any(cells.ContainsKey)) continue;
            string? Cell(string field) => columns.TryGetValue(field, out var c) && cells.TryGetValue(c, out var t) ? t : null;
            string Address(string field) => XlsxSheet.Letter(columns.TryGetValue(field, out var c) ? c : 1) + row.ToString(CultureInfo.InvariantCulture);
            var parsing = new Validator();
            var request = new AddPartRequest(Cell("partNumber"), Cell("name"),
                ProductLine(Cell("productLine")), Cell("fitsModels")?.Split(new[] { ',', '，', ';', '；', '、' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
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
        if (requests.Count == 0 && v.IsValid) v.Add("file", "{0} has no part rows under its header.");
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

    /// <summary>The uploaded workbook's sheet as text cells; no file, too large, not an .xlsx by its content, or an empty sheet is a 400 naming <c>file</c>.</summary>
    internal static async Task<SortedDictionary<int, SortedDictionary<int, string>>> ReadWorkbook(IFormFile? file, string? sheet, CancellationToken ct)
    {
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
        return rows;
    }

    internal static IReadOnlyDictionary<string, Msg[]> Errors(Validator v)
    {
        try { v.ThrowIfInvalid(); }
        catch (ValidationFailedException e) { return e.Errors; }
        return new Dictionary<string, Msg[]>();
    }

    /// <summary>
    /// The header row: the first of the top rows that names every required column (a title or a date above the table is
    /// skipped); when none does, the top row that names the most, so that the error says which columns are missing.
    /// </summary>
    internal static (int Row, Dictionary<string, int> Columns) FindHeader(SortedDictionary<int, SortedDictionary<int, string>> rows,
        (string Field, string[] Headers)[] known, string[] required)
    {
        (int Row, Dictionary<string, int> Columns) best = (rows.First().Key, new Dictionary<string, int>());
        foreach (var (row, cells) in rows.Take(HeaderSearchRows))
        {
            // Of two columns naming one field ("编号" for the row's number and "物料编码"), the more specific name wins.
            var ranked = new Dictionary<string, (int Column, int Rank)>(StringComparer.Ordinal);
            foreach (var (column, text) in cells)
                if (FieldOf(text, known) is { } found && (!ranked.TryGetValue(found.Field, out var had) || found.Rank < had.Rank))
                    ranked[found.Field] = (column, found.Rank);
            var columns = ranked.ToDictionary(r => r.Key, r => r.Value.Column, StringComparer.Ordinal);
            if (required.All(columns.ContainsKey)) return (row, columns);
            if (columns.Count > best.Columns.Count) best = (row, columns);
        }
        return best;
    }

    /// <summary>The field a header names and how specifically (the synonym's place in its list; a name in brackets stripped ranks after every exact one).</summary>
    private static (string Field, int Rank)? FieldOf(string header, (string Field, string[] Headers)[] known)
    {
        var key = HeaderKey(header);
        var bare = HeaderKey(Brackets().Replace(key, ""));
        foreach (var (field, names) in known)
            if (Array.FindIndex(names, n => HeaderKey(n) == key) is var i and >= 0) return (field, i);
        foreach (var (field, names) in known)
            if (bare.Length > 0 && Array.FindIndex(names, n => HeaderKey(n) == bare) is var i and >= 0) return (field, 1000 + i);
        return null;
    }

    /// <summary>A header as compared: full-width forms folded (（ → (), no spaces, no "*" marking a required column, no trailing colon, lower case.</summary>
    internal static string HeaderKey(string text)
    {
        var folded = text.Normalize(System.Text.NormalizationForm.FormKC);
        var kept = new System.Text.StringBuilder(folded.Length);
        foreach (var ch in folded)
            if (!char.IsWhiteSpace(ch) && ch is not ('*' or ':')) kept.Append(char.ToLowerInvariant(ch));
        return kept.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")]
    private static partial System.Text.RegularExpressions.Regex Brackets();

    /// <summary>An amount as a clerk types it: a number, or text such as "35.50", "¥1,200", "35.5元", "３５．５" (full-width).</summary>
    internal static decimal? Money(Validator v, string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var cleaned = text.Normalize(System.Text.NormalizationForm.FormKC);
        foreach (var noise in new[] { "¥", "￥", "元", "RMB", "rmb", "CNY", "cny", ",", " " }) cleaned = cleaned.Replace(noise, "", StringComparison.Ordinal);
        if (decimal.TryParse(cleaned.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        v.Add(field, "{0}: '{1}' is not an amount.", text);
        return null;
    }

    /// <summary>A product line by its code (ac) or by its name in Chinese or English (空调, Air conditioner); anything else is left for the rules to refuse.</summary>
    private static string? ProductLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var key = HeaderKey(text);
        foreach (var code in ProductLines)
            if (HeaderKey(code) == key || HeaderKey(Msg.Code("line", code).Render(Catalogue.Chinese)) == key || HeaderKey(Msg.Code("line", code).Render(Catalogue.English)) == key)
                return code;
        return text.Trim();
    }

    private static string? WarrantyClass(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "保内" or "保修" or "在保" or "covered" => "covered",
        "耗材" or "易耗品" or "易耗" or "消耗品" or "易损件" or "不保修" or "consumable" => "consumable",
        var other => other, // the enum check names the allowed values
    };

    private static bool? YesNo(Validator v, string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "": return null;
            case "是" or "y" or "yes" or "true" or "1" or "需要" or "要" or "返回" or "需返回" or "√" or "✓": return true;
            case "否" or "n" or "no" or "false" or "0" or "不需要" or "不要" or "不返回" or "无需返回" or "×" or "✗": return false;
            default:
                v.Add("mustReturn", "{0}: '{1}' is neither yes (是) nor no (否).", text);
                return null;
        }
    }
}
