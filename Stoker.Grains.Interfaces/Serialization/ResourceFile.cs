using System.Globalization;
using System.Text;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>Reads a resource file as text, refusing before reading it a file larger than a resource may be.</summary>
public static class ResourceFile
{
    /// <exception cref="ResourceFormatException">The file is larger than <see cref="ResourceLimits.MaxTextLength"/> bytes.</exception>
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

        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
