using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// The first worksheet of an .xlsx file as text cells (row number → column number → text), read straight from the
/// Office Open XML package: shared strings, inline strings, numbers and booleans — what a catalogue or a stock-take
/// sheet kept in Excel or WPS holds. No package for it: the one Excel reader on the mirror (ClosedXML 0.95) drags in a
/// System.Drawing.Common with a known vulnerability, which the build's audit refuses.
/// </summary>
internal static class XlsxSheet
{
    /// <summary>The largest unpacked part read: 20,000 rows of a catalogue are a few MB.</summary>
    public const long MaxPartBytes = 100L * 1024 * 1024;

    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRel = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>The sheet named <paramref name="sheetName"/> (the first when null); null when the bytes are not an .xlsx workbook or it has no such sheet.</summary>
    public static SortedDictionary<int, SortedDictionary<int, string>>? Read(Stream file, string? sheetName = null)
    {
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            var workbook = Load(zip, "xl/workbook.xml");
            // Without a name, the first sheet the clerk sees: a hidden sheet (lookup lists, a template's settings) is not it.
            var sheet = workbook?.Descendants(Main + "sheet").FirstOrDefault(s => sheetName is null
                ? (string?)s.Attribute("state") is null or "visible" : (string?)s.Attribute("name") == sheetName);
            if (sheet is null) return null;
            var relId = (string?)sheet.Attribute(Rel + "id");
            var target = Load(zip, "xl/_rels/workbook.xml.rels")?.Descendants(PackageRel + "Relationship")
                .FirstOrDefault(r => (string?)r.Attribute("Id") == relId)?.Attribute("Target")?.Value ?? "worksheets/sheet1.xml";
            var path = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
            var shared = Load(zip, "xl/sharedStrings.xml")?.Root?.Elements(Main + "si").Select(Text).ToList() ?? [];
            var data = Load(zip, path);
            if (data is null) return null;
            var rows = new SortedDictionary<int, SortedDictionary<int, string>>();
            var rowNumber = 0;
            foreach (var row in data.Descendants(Main + "row"))
            {
                rowNumber = int.TryParse((string?)row.Attribute("r"), CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                var cells = new SortedDictionary<int, string>();
                var column = 0;
                foreach (var c in row.Elements(Main + "c"))
                {
                    column = (string?)c.Attribute("r") is { } address ? ColumnOf(address) : column + 1;
                    var type = (string?)c.Attribute("t");
                    var value = (string?)c.Element(Main + "v");
                    var text = type switch
                    {
                        "s" => int.TryParse(value, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Count ? shared[i] : "",
                        "inlineStr" => c.Element(Main + "is") is { } inline ? Text(inline) : "",
                        "b" => value == "1" ? "true" : "false",
                        _ => Number(value),
                    };
                    // A cell the export made inert ('+5V 电源板) reads as it was typed: export and import are a round trip.
                    if (!string.IsNullOrWhiteSpace(text)) cells[column] = Infrastructure.Spreadsheets.SheetText.Restore(text.Trim());
                }
                if (cells.Count > 0) rows[rowNumber] = cells;
            }
            return rows;
        }
        catch (Exception e) when (e is InvalidDataException or System.Xml.XmlException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The column letter(s) of a 1-based column number: 1 → A, 27 → AA.</summary>
    public static string Letter(int column)
    {
        var s = "";
        for (var n = column; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    private static int ColumnOf(string address)
    {
        var n = 0;
        foreach (var ch in address.TakeWhile(char.IsLetter)) n = n * 26 + (char.ToUpperInvariant(ch) - 'A' + 1);
        return n;
    }

    /// <summary>Excel keeps 12.5 as "12.5" but 0.1 + 0.2 as "0.30000000000000004": numbers are read back as Excel shows them.</summary>
    private static string Number(string? value) =>
        value is null ? "" : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !value.Contains('E', StringComparison.OrdinalIgnoreCase)
            ? Math.Round(d, 10).ToString("0.##########", CultureInfo.InvariantCulture) : value;

    private static string Text(XElement e) => string.Concat(e.Descendants(Main + "t").Where(t => t.Parent?.Name != Main + "rPh").Select(t => t.Value));

    private static XDocument? Load(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(path);
        if (entry is null) return null;
        // A few MB of zip can claim gigabytes of XML (a "zip bomb"): a part larger than any real catalogue is refused unread.
        if (entry.Length > MaxPartBytes) throw new InvalidDataException("A part of the workbook unpacks to more than the import reads.");
        using var s = entry.Open();
        return XDocument.Load(s);
    }
}
