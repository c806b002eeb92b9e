using System.Globalization;
using System.Text;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>Reads a resource file as text, refusing before reading it a file larger than a resource may be.</summary>
public static class ResourceFile
{
    /// <exception cref="ResourceFormatException">The file is larger than <see cref="ResourceLimits.MaxTextLength"/> bytes, or not UTF-8.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static string ReadAllText(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // The same bound in bytes as the text's in characters (and the apply API's body): what kubectl users know.
        if (stream.Length > ResourceLimits.MaxTextLength)
        {
            throw new ResourceFormatException(string.Create(CultureInfo.InvariantCulture,
                $"the file is larger than {ResourceLimits.MaxTextLength} bytes (the limit for a resource)"));
        }

        // Strict: invalid UTF-8 is refused rather than read as replacement characters the user never wrote.
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        try
        {
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException e)
        {
            throw new ResourceFormatException($"the file is not UTF-8 text: {e.Message}");
        }
    }
}
