namespace Fieldline.Web.Infrastructure.Spreadsheets;

/// <summary>
/// Text in the workbooks Fieldline writes and reads back. Text someone typed (a part's name, a customer's address) that
/// starts with = + - @ (or their full-width forms, or a tab or line break before them) is a formula to Excel once the
/// cell is edited or the sheet saved as CSV, so the export writes it with a protective apostrophe (<see cref="Inert"/>);
/// an import takes that apostrophe off again (<see cref="Restore"/>), so exporting the catalogue and importing it back
/// changes nothing.
/// </summary>
public static class SheetText
{
    private const string FormulaStarts = "=+-@\t\r\n＝＋－＠";

    /// <summary>The text as an inert cell: a leading apostrophe before what would start a formula.</summary>
    public static string Inert(string text) =>
        text.Length > 0 && FormulaStarts.Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;

    /// <summary>A cell read from a workbook without the apostrophe <see cref="Inert"/> put before a formula's first character.</summary>
    public static string Restore(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && FormulaStarts.Contains(cell[1], StringComparison.Ordinal) ? cell[1..] : cell;
}
