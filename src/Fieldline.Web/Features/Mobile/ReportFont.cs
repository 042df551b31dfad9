using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace Fieldline.Web.Features.Mobile;

/// <summary>
/// Gives PDFsharp the CJK font of the service report. Debian ships WenQuanYi Zen Hei only as a TrueType collection
/// (.ttc), which PDFsharp 6.2 cannot read, so face 0 is cut out of the collection into a plain .ttf once.
/// </summary>
public sealed class ReportFont : IFontResolver
{
    public const string Family = "Fieldline Report";
    private const string Face = "FieldlineReport";
    private static readonly Lock Gate = new();
    private readonly Lazy<byte[]> _bytes;

    private ReportFont(string path) => _bytes = new Lazy<byte[]>(() => ExtractFace(File.ReadAllBytes(path), 0));

    /// <summary>PDFsharp's resolver is process-wide and may be set only once, so the first caller's path wins.</summary>
    public static void EnsureInstalled(string path)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is null) GlobalFontSettings.FontResolver = new ReportFont(path);
        }
    }

    // Bold is simulated: the collection has one weight.
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(Face, bold, italic);

    public byte[] GetFont(string faceName) => _bytes.Value;

    /// <summary>Copies one face of a TrueType collection into a standalone font: its table directory with new offsets, then its tables.</summary>
    internal static byte[] ExtractFace(byte[] file, int index)
    {
        if (file.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(file) != 0x74746366) return file; // not 'ttcf': already a font
        var start = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(12 + 4 * index));
        int tables = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(start + 4));
        var headerLength = 12 + 16 * tables;
        var records = Enumerable.Range(0, tables).Select(i => start + 12 + 16 * i)
            .Select(r => (Record: r, Offset: (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(r + 8)), Length: (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(r + 12))))
            .ToList();
        var output = new byte[headerLength + records.Sum(t => (t.Length + 3) & ~3)];
        file.AsSpan(start, 12).CopyTo(output);
        var at = headerLength;
        for (var i = 0; i < records.Count; i++)
        {
            var (record, offset, length) = records[i];
            file.AsSpan(record, 16).CopyTo(output.AsSpan(12 + 16 * i));
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(12 + 16 * i + 8), (uint)at);
            file.AsSpan(offset, length).CopyTo(output.AsSpan(at));
            at += (length + 3) & ~3;
        }
        return output;
    }
}
