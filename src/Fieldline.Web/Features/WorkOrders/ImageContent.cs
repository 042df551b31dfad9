using System.Buffers.Binary;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// Recognises images by their content, never by the name or the declared type a client sends: the signature and the
/// header that says how large the picture is (PNG's IHDR, a JPEG's start-of-frame, WebP's first chunk). A signature alone
/// — eight bytes that only claim to be a PNG — is not a photo, and must not count as the evidence a completion requires.
/// </summary>
public static class ImageContent
{
    public const long MaxPhotoBytes = 10 * 1024 * 1024;
    public const int MaxSignatureBytes = 1024 * 1024;

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The image's content type, or null when the bytes are not a JPEG, PNG or WebP picture with a readable header.</summary>
    public static string? Sniff(ReadOnlySpan<byte> image)
    {
        if (image.Length >= 3 && image[0] == 0xFF && image[1] == 0xD8 && image[2] == 0xFF) return JpegHasFrame(image) ? "image/jpeg" : null;
        if (image.Length >= 8 && image[..8].SequenceEqual(PngMagic)) return PngHasHeader(image) ? "image/png" : null;
        if (image.Length >= 12 && image[..4].SequenceEqual("RIFF"u8) && image[8..12].SequenceEqual("WEBP"u8)) return WebPHasHeader(image) ? "image/webp" : null;
        return null;
    }

    /// <summary>The first chunk is IHDR, 13 bytes long, with a width and a height of at least one pixel (PNG spec 11.2.2).</summary>
    private static bool PngHasHeader(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 + 8 + 13 + 4) return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(png[8..]) != 13 || !png[12..16].SequenceEqual("IHDR"u8)) return false;
        var width = BinaryPrimitives.ReadUInt32BigEndian(png[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(png[20..]);
        return width is > 0 and <= int.MaxValue && height is > 0 and <= int.MaxValue;
    }

    /// <summary>
    /// Walks the marker segments after SOI to a start-of-frame (SOF0–SOF15 but DHT, JPG and DAC), whose lines and samples
    /// per line are not zero; scan data or the end of the image before one means there is no picture.
    /// </summary>
    private static bool JpegHasFrame(ReadOnlySpan<byte> jpeg)
    {
        var at = 2;
        while (at + 1 < jpeg.Length)
        {
            if (jpeg[at] != 0xFF) return false;
            var marker = jpeg[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            at += 2;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue; // standalone markers carry no length
            if (marker is 0xD9 or 0xDA) return false; // end of image, or scan data, before any frame
            if (at + 2 > jpeg.Length) return false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[at..]);
            if (length < 2 || at + length > jpeg.Length) return false;
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                return length >= 8 && BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 3)..]) > 0 && BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 5)..]) > 0;
            at += length;
        }
        return false;
    }

    /// <summary>The first chunk is a picture (VP8, VP8L) or the extended header (VP8X) with the bytes that give its size.</summary>
    private static bool WebPHasHeader(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < 30) return false;
        var chunk = webp[12..16];
        if (chunk.SequenceEqual("VP8X"u8) || chunk.SequenceEqual("VP8L"u8) && webp[20] == 0x2F) return true;
        // VP8: a 3-byte frame tag, then the start code 9D 01 2A and the 14-bit width and height.
        return chunk.SequenceEqual("VP8 "u8) && webp[23] == 0x9D && webp[24] == 0x01 && webp[25] == 0x2A
            && (BinaryPrimitives.ReadUInt16LittleEndian(webp[26..]) & 0x3FFF) > 0 && (BinaryPrimitives.ReadUInt16LittleEndian(webp[28..]) & 0x3FFF) > 0;
    }

    public static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        _ => ".webp",
    };
}
