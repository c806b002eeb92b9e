using System.Globalization;

namespace Stoker.Silo.Authentication;

/// <summary>
/// The tokens file (docs/local-mode.md, "API tokens"): one token a line, <c>sha256:HEX NAME ROLE</c>, where HEX is the
/// SHA-256 of the token in 64 hex digits, NAME says whose it is (in logs) and ROLE is <c>admin</c> or <c>viewer</c>.
/// Blank lines and lines starting with <c>#</c> are ignored. Only hashes are stored, so the file itself grants nothing.
/// </summary>
public static class ApiTokensFile
{
    public const string HashPrefix = "sha256:";

    /// <summary>A tokens file is a handful of lines; anything larger is a mistake, not a file to hold in memory.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const int MaxNameLength = 253;

    /// <summary>Reads and parses <paramref name="path"/>; every problem is an <see cref="ApiTokensFileException"/> naming the file.</summary>
    public static IReadOnlyList<ApiTokenEntry> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new ApiTokensFileException($"{ApiAuthenticationOptions.SectionName}:TokensFile: {path}: the file does not exist");
            }

            if (info.Length > MaxBytes)
            {
                throw new ApiTokensFileException($"{ApiAuthenticationOptions.SectionName}:TokensFile: {path}: {info.Length} bytes: must be at most {MaxBytes} bytes");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApiTokensFileException($"{ApiAuthenticationOptions.SectionName}:TokensFile: {path}: cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Every line's problems at once, so a file is fixed in one go.</summary>
    public static IReadOnlyList<ApiTokenEntry> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<ApiTokenEntry>();
        var problems = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3)
            {
                problems.Add($"line {number}: {fields.Length} fields: must be \"{HashPrefix}HEX NAME ROLE\" (3 fields separated by spaces)");
                continue;
            }

            var (hash, name, role) = (fields[0], fields[1], fields[2]);
            byte[]? digest = null;
            if (!hash.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase))
            {
                // Not echoed: a line without the prefix may well be a token written where its hash belongs.
                problems.Add($"line {number}: the first field must start with \"{HashPrefix}\" (the file holds hashes of tokens, never tokens)");
            }
            else if (hash.Length != HashPrefix.Length + 64 || !TryHex(hash[HashPrefix.Length..], out digest))
            {
                problems.Add($"line {number}: the hash must be {HashPrefix} and 64 hex digits (the SHA-256 of the token, as sha256sum prints it)");
            }

            if (name.Length > MaxNameLength || name.Any(char.IsControl))
            {
                problems.Add($"line {number}: name \"{Shorten(name)}\": must be at most {MaxNameLength} characters without control characters");
            }

            ApiRole? parsedRole = role switch
            {
                "admin" => ApiRole.Admin,
                "viewer" => ApiRole.Viewer,
                _ => null,
            };
            if (parsedRole is null)
            {
                problems.Add($"line {number}: role \"{Shorten(role)}\": must be admin or viewer");
            }

            if (digest is not null && entries.FirstOrDefault(e => e.Sha256.AsSpan().SequenceEqual(digest)) is { } twin)
            {
                problems.Add($"line {number}: the same hash as {twin.Source}: each token once");
                continue;
            }

            if (digest is not null && parsedRole is { } r && !problems.Any(p => p.StartsWith($"line {number}:", StringComparison.Ordinal)))
            {
                entries.Add(new ApiTokenEntry(digest, name, r, $"line {number}"));
            }
        }

        if (problems.Count > 0)
        {
            throw new ApiTokensFileException($"{ApiAuthenticationOptions.SectionName}:TokensFile: {source}: " + string.Join("; ", problems));
        }

        return entries;
    }

    private static bool TryHex(string hex, out byte[]? bytes)
    {
        bytes = null;
        if (!hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        bytes = Convert.FromHexString(hex);
        return true;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
