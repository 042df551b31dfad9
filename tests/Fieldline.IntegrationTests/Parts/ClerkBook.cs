using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Fieldline.IntegrationTests.Parts;

/// <summary>A number a clerk typed into a cell formatted as text ("35.50" stored as text, Excel's green triangle).</summary>
public sealed record AsText(string Value);

/// <summary>
/// An .xlsx written the way WPS or Excel leaves a clerk's own sheet, by hand and not by any library of the app: text as
/// inline strings, a hidden lookup sheet before the visible one, a merged title row above the header, the table starting
/// in column B, blank rows that carry only a border style, and numbers kept as text.
/// </summary>
public static class ClerkBook
{
    /// <summary><paramref name="rows"/> from row 1, column <paramref name="firstColumn"/>; an empty row is a blank row with a styled empty cell.</summary>
    public static byte[] Of(object?[][] rows, int firstColumn = 2, string sheetName = "配件", bool hiddenSheetFirst = true)
    {
        var sheet = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>")
            .Append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
            .Append("<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols><col min=\"1\" max=\"1\" width=\"3\" customWidth=\"1\"/></cols><sheetData>");
        var widest = rows.Max(r => r.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            var rowNumber = r + 1;
            sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{rowNumber}\" spans=\"{firstColumn}:{firstColumn + widest - 1}\">");
            if (rows[r].Length == 0) sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{Col(firstColumn)}{rowNumber}\" s=\"1\"/>");
            for (var c = 0; c < rows[r].Length; c++)
            {
                var address = $"{Col(firstColumn + c)}{rowNumber}";
                switch (rows[r][c])
                {
                    case null: sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{address}\" s=\"1\"/>"); break;
                    case AsText t: sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{address}\" s=\"2\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(t.Value)}</t></is></c>"); break;
                    case string s: sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{address}\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{SecurityElement.Escape(s)}</t></is></c>"); break;
                    case IFormattable n: sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{address}\" s=\"1\"><v>{n.ToString(null, CultureInfo.InvariantCulture)}</v></c>"); break;
                }
            }
            sheet.Append("</row>");
        }
        sheet.Append(CultureInfo.InvariantCulture, $"</sheetData><mergeCells count=\"1\"><mergeCell ref=\"{Col(firstColumn)}1:{Col(firstColumn + widest - 1)}1\"/></mergeCells></worksheet>");

        const string lookup = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>保修类别</t></is></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>保内</t></is></c></row>"
            + "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>耗材</t></is></c></row></sheetData></worksheet>";
        const string styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<numFmts count=\"0\"/><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"宋体\"/></font></fonts><fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills>"
            + "<borders count=\"2\"><border/><border><left style=\"thin\"/><right style=\"thin\"/><top style=\"thin\"/><bottom style=\"thin\"/></border></borders>"
            + "<cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"3\"><xf/><xf borderId=\"1\" applyBorder=\"1\"/><xf numFmtId=\"49\" borderId=\"1\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>";

        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, string xml)
            {
                using var w = new StreamWriter(zip.CreateEntry(path, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
                w.Write(xml);
            }
            Add("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>");
            Add("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            var sheets = hiddenSheetFirst
                ? $"<sheet name=\"下拉选项\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/><sheet name=\"{SecurityElement.Escape(sheetName)}\" sheetId=\"1\" r:id=\"rId1\"/>"
                : $"<sheet name=\"{SecurityElement.Escape(sheetName)}\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"下拉选项\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>";
            Add("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><bookViews><workbookView activeTab=\"1\"/></bookViews><sheets>" + sheets + "</sheets></workbook>");
            // Absolute targets, as WPS writes them.
            Add("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
                + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"/xl/styles.xml\"/></Relationships>");
            Add("xl/worksheets/sheet1.xml", sheet.ToString());
            Add("xl/worksheets/sheet2.xml", lookup);
            Add("xl/styles.xml", styles);
        }
        return output.ToArray();
    }

    /// <summary>A workbook whose shared-strings part unpacks to more than the import reads (a "zip bomb": a small upload, a huge document).</summary>
    public static byte[] Bomb()
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("xl/workbook.xml").Open()))
                w.Write("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            using (var s = zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.SmallestSize).Open())
            {
                var spaces = new byte[1024 * 1024];
                Array.Fill(spaces, (byte)' ');
                s.Write("<sst>"u8);
                for (var i = 0; i < 101; i++) s.Write(spaces);
                s.Write("</sst>"u8);
            }
        }
        return output.ToArray();
    }

    private static string Col(int column)
    {
        var s = "";
        for (var n = column; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }
}
