namespace Stoker.Silo.Api.Lists;

/// <summary>
/// A field selector (<c>fieldSelector</c>) over the fields every resource supports: <c>metadata.name</c> and
/// <c>metadata.namespace</c>, with <c>=</c>, <c>==</c> and <c>!=</c>. Other fields are refused with the API
/// server's wording, so a typo is never a silent "match everything".
/// </summary>
public sealed class FieldSelector
{
    public const int MaxLength = 4096;

    private readonly IReadOnlyList<(string Field, string Value, bool Equal)> _terms;

    private FieldSelector(IReadOnlyList<(string Field, string Value, bool Equal)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The name the selector pins (<c>metadata.name=X</c>), if it does: a watch of one object.</summary>
    public string? Name => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public bool Matches(string? @namespace, string? name) =>
        _terms.All(t => (t.Field == "metadata.name" ? name : @namespace) == t.Value == t.Equal);

    public static FieldSelector? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        if (text.Length > MaxLength)
        {
            error = $"fieldSelector: longer than {MaxLength} characters";
            return null;
        }

        var terms = new List<(string, string, bool)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (op, at) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0 ? ("!=", ne)
                : part.IndexOf("==", StringComparison.Ordinal) is var eq and >= 0 ? ("==", eq)
                : ("=", part.IndexOf('=', StringComparison.Ordinal));
            if (at <= 0)
            {
                error = $"invalid selector: '{text}'; can't understand '{part}'";
                return null;
            }

            var field = part[..at].Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                error = $"field label not supported: {field} (supported: metadata.name, metadata.namespace)";
                return null;
            }

            terms.Add((field, part[(at + op.Length)..].Trim(), op != "!="));
        }

        return new FieldSelector(terms);
    }
}
