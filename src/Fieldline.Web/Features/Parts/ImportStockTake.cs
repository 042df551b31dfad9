using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record StockTakeDifferenceDto(int Row, string PartNumber, string PartName, int Book, int Counted, int Difference);

public sealed record ImportStockTakeResult(int LocationId, string LocationName, int Rows, int Differences, IReadOnlyList<StockTakeDifferenceDto> Lines);

/// <summary>
/// A stock-take counted on the shelves and kept in Excel as the clerk keeps it: one row per part with its number and the
/// counted quantity (Chinese or English headers, any column order, a title above the header, an optional reason per
/// row), for one place — the branch warehouse unless <c>locationId</c> names another. Every row is checked first (an
/// unknown part, a count that is not a whole number from 0 to 100,000, a part twice), a bad one named by its cell, and
/// then nothing is recorded. Otherwise every difference to the book becomes a stock-take line, all in one save, exactly as
/// <see cref="TakeStock"/> records one; a part not on the sheet is not touched.
/// </summary>
public sealed class ImportStockTake(AppDbContext db, StockLedger ledger)
{
    internal static readonly (string Field, string[] Headers)[] Columns =
    [
        ("partNumber", ImportParts.Columns.Single(c => c.Field == "partNumber").Headers),
        ("counted", ["实盘数量", "实盘数", "盘点数量", "盘点数", "实存数量", "实际数量", "实际库存", "实盘库存", "counted", "count", "counted quantity"]),
        ("reason", ["差异原因", "原因", "备注", "说明", "reason", "note"]),
    ];

    private static readonly string[] Required = ["partNumber", "counted"];

    public async Task<ImportStockTakeResult> Handle(CurrentUser user, IFormFile? file, string? locationId, string? reason, CancellationToken ct)
    {
        user.RequireAny("record a stock-take", StockLedger.Keepers);
        var v = new Validator().MaxLength(reason, 200, "reason");
        int? placeId = null;
        if (!string.IsNullOrWhiteSpace(locationId))
        {
            if (int.TryParse(locationId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) placeId = id;
            else v.Add("locationId", "{0} must be a number.");
        }
        v.ThrowIfInvalid();
        var location = placeId is { } place ? await ledger.Visible(user, place, "locationId", ct) : await ledger.Warehouse(user.BranchId, ct);
        var rows = await ImportParts.ReadWorkbook(file, null, ct);
        var (headerRow, columns) = ImportParts.FindHeader(rows, Columns, Required);
        foreach (var missing in Required.Where(f => !columns.ContainsKey(f)))
            v.Add("file", Msg.Of("Row {0}: the column {1} is missing from the header.", headerRow, Msg.Field(missing)));
        v.ThrowIfInvalid();
        var body = rows.Where(r => r.Key > headerRow).ToList();
        if (body.Count > ImportParts.MaxRows) throw ValidationFailedException.For("file", "{0} has more than {1} rows.", ImportParts.MaxRows);

        var counts = new List<(int Row, string Number, int Counted, string? Reason)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, cells) in body)
        {
            if (!columns.Values.Any(cells.ContainsKey)) continue; // a blank row, a note beside the table
            string? Cell(string field) => columns.TryGetValue(field, out var c) && cells.TryGetValue(c, out var t) ? t : null;
            string Col(string field) => XlsxSheet.Letter(columns[field]);
            var parsing = new Validator();
            var number = Cell("partNumber")?.Trim();
            if (string.IsNullOrEmpty(number)) parsing.Add("partNumber", "{0} is required.");
            var counted = Count(parsing, Cell("counted"));
            var rowReason = Cell("reason")?.Trim();
            parsing.MaxLength(rowReason, 200, "reason");
            var errors = ImportParts.Errors(parsing);
            foreach (var (field, messages) in errors)
                foreach (var message in messages)
                    v.Add(Col(field) + row.ToString(CultureInfo.InvariantCulture), Msg.Of("Row {0}, column {1}: {2}", row, Col(field), message));
            if (errors.Count > 0) continue;
            if (seen.TryGetValue(number!, out var first))
            {
                v.Add(Col("partNumber") + row.ToString(CultureInfo.InvariantCulture),
                    Msg.Of("Row {0}, column {1}: part number '{2}' is already on row {3}.", row, Col("partNumber"), number, first));
                continue;
            }
            seen[number!] = row;
            counts.Add((row, number!, counted!.Value, string.IsNullOrEmpty(rowReason) ? null : rowReason));
        }

        var parts = new Dictionary<string, Part>(StringComparer.Ordinal);
        foreach (var chunk in seen.Keys.Chunk(500))
            foreach (var p in await db.Set<Part>().Where(p => chunk.Contains(p.PartNumber) && p.Active).ToListAsync(ct)) parts[p.PartNumber] = p;
        foreach (var (row, number, _, _) in counts.Where(c => !parts.ContainsKey(c.Number)))
            v.Add(Letter(columns, "partNumber") + row.ToString(CultureInfo.InvariantCulture), Msg.Of("Row {0}, column {1}: {2}", row, Letter(columns, "partNumber"),
                Msg.Of("{0}: '{1}' is not a part of the catalogue.", Msg.Field("partNumber"), number)));
        if (counts.Count == 0 && v.IsValid) v.Add("file", "{0} has no part rows under its header.");
        v.ThrowIfInvalid();

        // The book figures, tracked: the ledger finds them here, and their versions make a movement saved meanwhile a 409.
        var partIds = parts.Values.Select(p => p.Id).ToList();
        var levels = new Dictionary<int, StockLevel>();
        foreach (var chunk in partIds.Chunk(500))
            foreach (var l in await db.Set<StockLevel>().Where(l => l.LocationId == location.Id && chunk.Contains(l.PartId)).ToListAsync(ct)) levels[l.PartId] = l;
        var fileName = Path.GetFileName(file!.FileName);
        var reference = fileName.Length > 64 ? fileName[..64] : fileName;
        var defaultReason = string.IsNullOrWhiteSpace(reason) ? (fileName.Length > 200 ? fileName[..200] : fileName) : reason.Trim();
        var lines = new List<StockTakeDifferenceDto>();
        foreach (var (row, number, counted, rowReason) in counts)
        {
            var part = parts[number];
            var book = levels.TryGetValue(part.Id, out var level) ? level.OnHand : 0;
            if (counted == book) continue;
            await ledger.Post(part, location, counted - book, StockMovementKind.StockTake,
                new MovementFacts(user.UserId, rowReason ?? defaultReason, string.IsNullOrEmpty(reference) ? null : reference), ct);
            lines.Add(new StockTakeDifferenceDto(row, part.PartNumber, part.Name, book, counted, counted - book));
        }
        await db.SaveChangesAsync(ct);
        return new ImportStockTakeResult(location.Id, (await ledger.NameOf(location, ct)).Render(), counts.Count, lines.Count, lines);
    }

    private static string Letter(Dictionary<string, int> columns, string field) => XlsxSheet.Letter(columns[field]);

    /// <summary>A counted quantity: a whole number from 0 to 100,000, typed as a number or as text ("12", "12.0", "１２").</summary>
    private static int? Count(Validator v, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            v.Add("counted", "{0} is required.");
            return null;
        }
        var cleaned = text.Normalize(System.Text.NormalizationForm.FormKC).Replace(",", "", StringComparison.Ordinal).Trim();
        if (decimal.TryParse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d is >= 0 and <= StockRules.MaxQuantity)
            return (int)d;
        v.Add("counted", "{0}: '{1}' is not a whole number from 0 to {2}.", text, StockRules.MaxQuantity);
        return null;
    }
}
