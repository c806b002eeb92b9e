using Stoker.Templating.Execution;
using Stoker.Templating.Parsing;

namespace Stoker.Templating;

/// <summary>
/// A Go <c>text/template</c> template, parsed and rendered with <c>missingkey=error</c>.
/// </summary>
/// <remarks>
/// Users bring repositories written for the original Go operator, whose config files are Go
/// templates. No .NET library renders that syntax (Scriban, Handlebars.Net and friends differ in
/// trimming, truthiness, pipelines and error behaviour), so this is a hand-written port of the
/// subset real Ignition config files use: the lexer, parser and evaluator follow Go's
/// <c>text/template</c> and <c>fmt</c> source closely so output and error messages match. See
/// docs/templates.md for what is supported.
/// <para>
/// Data model accepted by <see cref="Render"/> (anything else is treated as an opaque value):
/// <list type="bullet">
/// <item><see cref="IReadOnlyDictionary{TKey,TValue}"/> of string to string or of string to object:
/// Go maps. <c>.key</c> looks a key up and fails with <c>map has no entry for key "k"</c> when it
/// is absent; <c>index m "k"</c> returns the zero value ("" or nil) instead, as in Go.</item>
/// <item><see cref="TemplateObject"/>: a Go struct with named fields.</item>
/// <item>string, bool, integers (int, long, ...: Go <c>int</c>), double/float (Go <c>float64</c>),
/// null (a nil interface: prints as <c>&lt;no value&gt;</c>).</item>
/// <item><see cref="IReadOnlyList{T}"/> and arrays: Go slices, for <c>range</c>, <c>index</c>,
/// <c>len</c>.</item>
/// </list>
/// </para>
/// A parsed template is immutable and may be rendered concurrently.
/// </remarks>
public sealed class GoTemplate
{
    private readonly ListNode _root;

    private GoTemplate(string name, string text, ListNode root)
    {
        Name = name;
        Text = text;
        _root = root;
    }

    public string Name { get; }

    internal string Text { get; }

    /// <summary>Parses <paramref name="text"/>; <paramref name="name"/> appears in error messages.</summary>
    /// <exception cref="TemplateParseException">The text is not a valid template or contains a NUL byte.</exception>
    public static GoTemplate Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        RejectNul(text, name);
        var root = Parser.Parse(name, text);
        return new GoTemplate(name, text, root);
    }

    /// <summary>False when <paramref name="text"/> has no <c>{{</c>, so rendering would return it unchanged.</summary>
    public static bool NeedsRendering(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("{{", StringComparison.Ordinal);
    }

    /// <summary>Renders the template against <paramref name="data"/> (see the class remarks for the data model).</summary>
    /// <exception cref="TemplateExecutionException">A missing key, unknown field or invalid operation.</exception>
    public string Render(object? data) => new Executor(Name, Text).Execute(_root, data);

    /// <summary>
    /// Parses and renders in one step. Text without <c>{{</c> is returned as the same instance
    /// without being parsed (so even a stray <c>}}</c> passes). A NUL byte is refused first, even
    /// without <c>{{</c>, so binary files always fail.
    /// </summary>
    /// <exception cref="TemplateParseException">Invalid template, or a NUL byte.</exception>
    /// <exception cref="TemplateExecutionException">Rendering failed.</exception>
    public static string RenderString(string text, string name, object? data)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        RejectNul(text, name);
        if (!NeedsRendering(text))
        {
            return text;
        }

        return Parse(text, name).Render(data);
    }

    private static void RejectNul(string text, string name)
    {
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            var (line, column) = TextLocation.Of(text, nul);
            throw new TemplateParseException(name, line, column, "contains a NUL byte; binary files cannot be templated");
        }
    }
}
