namespace Stoker.Templating.Execution;

/// <summary>A view of the two dictionary shapes templates treat as Go maps.</summary>
internal sealed class GoMap
{
    private readonly IReadOnlyDictionary<string, string>? _strings;
    private readonly IReadOnlyDictionary<string, object?>? _objects;

    private GoMap(IReadOnlyDictionary<string, string>? strings, IReadOnlyDictionary<string, object?>? objects)
    {
        _strings = strings;
        _objects = objects;
    }

    public int Count => _strings?.Count ?? _objects!.Count;

    /// <summary>Go's map[string]string yields "" for a missing key through <c>index</c>; map[string]interface{} yields nil.</summary>
    public object? ZeroValue => _strings is null ? null : string.Empty;

    public string TypeName => _strings is null ? "map[string]interface {}" : "map[string]string";

    public static GoMap? From(object? value) => value switch
    {
        IReadOnlyDictionary<string, string> strings => new GoMap(strings, null),
        IReadOnlyDictionary<string, object?> objects => new GoMap(null, objects),
        _ => null,
    };

    public bool TryGet(string key, out object? value)
    {
        if (_strings is not null)
        {
            var found = _strings.TryGetValue(key, out var s);
            value = s;
            return found;
        }

        var present = _objects!.TryGetValue(key, out var o);
        value = GoValues.Normalize(o);
        return present;
    }

    /// <summary>Keys in Go's order (byte-wise on UTF-8, which is code-point order).</summary>
    public IReadOnlyList<string> SortedKeys()
    {
        var keys = _strings?.Keys.ToList() ?? [.. _objects!.Keys];
        keys.Sort(GoValues.CompareStrings);
        return keys;
    }
}
