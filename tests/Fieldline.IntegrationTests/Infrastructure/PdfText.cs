namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>The text of a PDF, by poppler's pdftotext (UTF-8), to check what a statement or report says.</summary>
public static class PdfText
{
    public static async Task<string> Of(byte[] bytes)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, bytes);
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text;
        }
        finally { File.Delete(file); }
    }
}
