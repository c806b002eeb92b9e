using System.Globalization;
using System.Text.Json;

namespace Stoker.Grains.Interfaces.Validation;

/// <summary>Builds field paths in the form Kubernetes prints them: <c>spec.sync.profiles.a.mappings[0].source</c>.</summary>
public static class FieldPath
{
    public static string Child(string parent, string name)
    {
        var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        var segment = simple ? name : "[" + JsonSerializer.Serialize(name) + "]";
        return parent.Length == 0 ? segment : simple ? parent + "." + segment : parent + segment;
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
