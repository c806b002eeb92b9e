namespace Stoker.AgentClient.Cli;

/// <summary>Parses repeated <c>--label k=v</c> / <c>--var k=v</c> options; later occurrences of a key win.</summary>
internal static class KeyValueArguments
{
    public static SortedDictionary<string, string> Parse(string option, IEnumerable<string>? values, ICollection<string> errors)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"{option} \"{value}\": expected key=value with a non-empty key");
                continue;
            }

            result[value[..equals]] = value[(equals + 1)..];
        }

        return result;
    }
}
