using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Localization;
using static Fieldline.Web.Infrastructure.Spreadsheets.SheetText;
using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace Fieldline.Web.Features.Parts;

/// <summary>The warehouse as an Excel workbook in the reader's language: the catalogue, and the stock of every place of the branch.</summary>
public sealed class ExportStock(FindParts parts, FindStock stock)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task<byte[]> Handle(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("export the warehouse", StockLedger.Keepers);
        // Everything: the export is the keeper's copy of the whole catalogue and stock, not a page of it.
        var catalogue = await parts.List(user, null, null, ct, int.MaxValue);
        var levels = await stock.Levels(user, null, null, ct, int.MaxValue);
        using var output = new MemoryStream();
        await using (var book = await Spreadsheet.CreateNewAsync(output, cancellationToken: ct))
        {
            var bold = book.AddStyle(new SpreadCheetah.Styling.Style { Font = { Bold = true } });
            await Sheet(book, Msg.Of("Parts catalogue"), bold, [(Msg.Of("Part number"), 18), (Msg.Of("Part name"), 24), (Msg.Of("Product line"), 10), (Msg.Of("Fits models"), 24),
                (Msg.Of("Unit cost"), 10), (Msg.Of("List price"), 10), (Msg.Of("Warranty class"), 10), (Msg.Of("Old part must come back"), 10)],
                catalogue.Select(p => new DataCell[]
                {
                    new(Inert(p.PartNumber)), new(Inert(p.Name)), new(p.ProductLine is null ? "" : Msg.Code("line", p.ProductLine).Render()), new(Inert(string.Join("、", p.FitsModels))),
                    new(p.UnitCost), new(p.ListPrice), new(Msg.Code("partWarrantyClass", p.WarrantyClass).Render()), new((p.MustReturn ? Msg.Of("Yes") : Msg.Of("No")).Render()),
                }), ct);
            await Sheet(book, Msg.Of("Stock"), bold, [(Msg.Of("Stock location"), 20), (Msg.Of("Part number"), 18), (Msg.Of("Part name"), 24), (Msg.Of("On hand"), 10)],
                levels.Select(l => new DataCell[] { new(Inert(l.LocationName)), new(Inert(l.PartNumber)), new(Inert(l.PartName)), new(l.OnHand) }), ct);
            await book.FinishAsync(ct);
        }
        return output.ToArray();
    }

    private static async Task Sheet(Spreadsheet book, Msg name, SpreadCheetah.Styling.StyleId bold, (Msg Header, double Width)[] columns, IEnumerable<DataCell[]> rows, CancellationToken ct)
    {
        var options = new WorksheetOptions { FrozenRows = 1 };
        for (var i = 0; i < columns.Length; i++) options.Column(i + 1).Width = columns[i].Width;
        await book.StartWorksheetAsync(name.Render(), options, ct);
        await book.AddRowAsync(columns.Select(c => new StyledCell(c.Header.Render(), bold)).ToArray(), ct);
        foreach (var row in rows) await book.AddRowAsync(row, ct);
    }
}
