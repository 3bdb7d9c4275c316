using System.Text;

namespace CoursePlatform.Functions.Features.Ingestion.Extraction;

internal static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads UTF-8 text (a BOM is skipped, UTF-16 with a BOM is accepted) with line ends normalised to \n.</summary>
    public static string Read(Stream content)
    {
        string text;
        try
        {
            using var reader = new StreamReader(content, StrictUtf8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            text = reader.ReadToEnd();
        }
        catch (DecoderFallbackException ex)
        {
            throw new ContentRejectedException("The file is not UTF-8 text.", ex);
        }
        if (text.Contains('\0', StringComparison.Ordinal))
            throw new ContentRejectedException("The file is binary, not text.");
        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
    }
}
