namespace Stoker.Templating;

/// <summary>
/// A struct-like value for templates: a type name plus a fixed set of fields. <c>.Field</c> on it
/// reads a field; a name that is not a field fails with
/// <c>can't evaluate field Foo in type TypeName</c>, as a Go struct would. Fields keep the order
/// of <paramref name="fields"/> (it only matters when the whole object is printed).
/// </summary>
public sealed class TemplateObject
{
    private readonly Dictionary<string, object?> _fields;

    public TemplateObject(string typeName, IReadOnlyDictionary<string, object?> fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        ArgumentNullException.ThrowIfNull(fields);
        TypeName = typeName;
        _fields = new Dictionary<string, object?>(fields, StringComparer.Ordinal);
        OrderedFields = [.. fields];
    }

    public string TypeName { get; }

    public IReadOnlyDictionary<string, object?> Fields => _fields;

    internal IReadOnlyList<KeyValuePair<string, object?>> OrderedFields { get; }

    public bool TryGetField(string name, out object? value) => _fields.TryGetValue(name, out value);

    public override string ToString() => TypeName;
}
