using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record StockTakeDifferenceDto(int Row, string PartNumber, string PartName, int Book, int Counted, int Difference, string? LocationName = null);

public sealed record ImportStockTakeResult(int LocationId, string LocationName, int Rows, int Differences, IReadOnlyList<StockTakeDifferenceDto> Lines);

/// <summary>
/// A stock-take counted on the shelves and kept in Excel as the clerk keeps it: one row per part with its number and the
/// counted quantity (Chinese or English headers, any column order, a title above the header, an optional reason per
/// row). The place counted is each row's 库位 where the sheet has that column (as the stock export writes it: the
/// branch's warehouse or a technician's van, by name), else the one place <c>locationId</c> names, else the branch
/// warehouse; a row naming another place than a chosen <c>locationId</c> is refused, never booked elsewhere. Every row
/// is checked first (an unknown part or place, a count that is not a whole number from 0 to 100,000, a part twice at one
/// place), a bad one named by its cell, and
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
        ("stockLocation", ["库位", "库存地点", "存放地点", "location", "place"]),
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
        var chosen = placeId is { } place ? await ledger.Visible(user, place, "locationId", ct) : null;
        var location = chosen ?? await ledger.Warehouse(user.BranchId, ct);
        var rows = await ImportParts.ReadWorkbook(file, null, ct);
        var (headerRow, columns) = ImportParts.FindHeader(rows, Columns, Required);
        foreach (var missing in Required.Where(f => !columns.ContainsKey(f)))
            v.Add("file", Msg.Of("Row {0}: the column {1} is missing from the header.", headerRow, Msg.Field(missing)));
        v.ThrowIfInvalid();
        var body = rows.Where(r => r.Key > headerRow).ToList();
        if (body.Count > ImportParts.MaxRows) throw ValidationFailedException.For("file", "{0} has more than {1} rows.", ImportParts.MaxRows);

        // The places a 库位 cell may name: the branch's, by their names in either language (the export writes the reader's).
        var places = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        if (columns.ContainsKey("stockLocation"))
        {
            var names = await ledger.TechnicianNames(location.BranchId, ct);
            await ledger.LocationsOf(location.BranchId, ct);
            foreach (var l in await db.Set<StockLocation>().AsNoTracking().Where(l => l.BranchId == location.BranchId).ToListAsync(ct))
                foreach (var culture in new[] { CultureInfo.GetCultureInfo("zh-CN"), CultureInfo.GetCultureInfo("en") })
                {
                    var name = StockLedger.Name(l, names).Render(culture);
                    if (!places.TryGetValue(name, out var ids)) places[name] = ids = [];
                    if (!ids.Contains(l.Id)) ids.Add(l.Id);
                }
        }
        var counts = new List<(int Row, int Place, string Number, int Counted, string? Reason)>();
        var seen = new Dictionary<(int, string), int>();
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
            var rowPlace = location.Id;
            if (columns.ContainsKey("stockLocation"))
            {
                var placeName = Cell("stockLocation")?.Trim();
                if (string.IsNullOrEmpty(placeName)) parsing.Add("stockLocation", "{0} is required.");
                else if (!places.TryGetValue(placeName, out var ids)) parsing.Add("stockLocation", "{0}: '{1}' is not a place of this branch's stock.", placeName);
                else if (ids.Count > 1) parsing.Add("stockLocation", "{0}: '{1}' names more than one place; count each place in a sheet of its own.", placeName);
                else if (chosen is not null && ids[0] != chosen.Id)
                    parsing.Add("stockLocation", "{0}: '{1}' is not the place chosen for this stock-take.", placeName);
                else rowPlace = ids[0];
            }
            var errors = ImportParts.Errors(parsing);
            foreach (var (field, messages) in errors)
                foreach (var message in messages)
                    v.Add(Col(field) + row.ToString(CultureInfo.InvariantCulture), Msg.Of("Row {0}, column {1}: {2}", row, Col(field), message));
            if (errors.Count > 0) continue;
            if (seen.TryGetValue((rowPlace, number!), out var first))
            {
                v.Add(Col("partNumber") + row.ToString(CultureInfo.InvariantCulture),
                    Msg.Of("Row {0}, column {1}: part number '{2}' is already on row {3}.", row, Col("partNumber"), number, first));
                continue;
            }
            seen[(rowPlace, number!)] = row;
            counts.Add((row, rowPlace, number!, counted!.Value, string.IsNullOrEmpty(rowReason) ? null : rowReason));
        }

        var parts = new Dictionary<string, Part>(StringComparer.Ordinal);
        foreach (var chunk in seen.Keys.Select(k => k.Item2).Distinct().Chunk(500))
            foreach (var p in await db.Set<Part>().Where(p => chunk.Contains(p.PartNumber) && p.Active).ToListAsync(ct)) parts[p.PartNumber] = p;
        foreach (var (row, _, number, _, _) in counts.Where(c => !parts.ContainsKey(c.Number)))
            v.Add(Letter(columns, "partNumber") + row.ToString(CultureInfo.InvariantCulture), Msg.Of("Row {0}, column {1}: {2}", row, Letter(columns, "partNumber"),
                Msg.Of("{0}: '{1}' is not a part of the catalogue.", Msg.Field("partNumber"), number)));
        if (counts.Count == 0 && v.IsValid) v.Add("file", "{0} has no part rows under its header.");
        v.ThrowIfInvalid();

        // The book figures, tracked: the ledger finds them here, and their versions make a movement saved meanwhile a 409.
        var partIds = parts.Values.Select(p => p.Id).ToList();
        var placeIds = counts.Select(c => c.Place).Distinct().ToList();
        var levels = new Dictionary<(int, int), StockLevel>();
        foreach (var chunk in partIds.Chunk(500))
            foreach (var l in await db.Set<StockLevel>().Where(l => placeIds.Contains(l.LocationId) && chunk.Contains(l.PartId)).ToListAsync(ct)) levels[(l.LocationId, l.PartId)] = l;
        var placesById = await db.Set<StockLocation>().Where(l => placeIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var placeNames = new Dictionary<int, string>();
        foreach (var id in placeIds) placeNames[id] = (await ledger.NameOf(placesById[id], ct)).Render(); // once a place, not once a line
        var fileName = Path.GetFileName(file!.FileName);
        var reference = fileName.Length > 64 ? fileName[..64] : fileName;
        var defaultReason = string.IsNullOrWhiteSpace(reason) ? (fileName.Length > 200 ? fileName[..200] : fileName) : reason.Trim();
        var lines = new List<StockTakeDifferenceDto>();
        foreach (var (row, at, number, count, rowReason) in counts)
        {
            var part = parts[number];
            var book = levels.TryGetValue((at, part.Id), out var level) ? level.OnHand : 0;
            if (count == book) continue;
            await ledger.Post(part, placesById[at], count - book, StockMovementKind.StockTake,
                new MovementFacts(user.UserId, rowReason ?? defaultReason, string.IsNullOrEmpty(reference) ? null : reference), ct);
            lines.Add(new StockTakeDifferenceDto(row, part.PartNumber, part.Name, book, count, count - book, placeNames[at]));
        }
        await db.SaveChangesAsync(ct);
        // One place counted: it is the answer's place; a sheet of several places answers the first, each line its own.
        var first0 = placeIds.Count > 0 ? placesById[placeIds[0]] : location;
        return new ImportStockTakeResult(first0.Id, (await ledger.NameOf(first0, ct)).Render(), counts.Count, lines.Count, lines);
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
