namespace Stoker.Templating;

/// <summary>
/// A template that parsed but failed while rendering (missing map key, unknown field, a
/// function called with values it cannot take, ...). The message has Go's shape:
/// <c>template: name:line:column: executing "name" at &lt;node&gt;: reason</c>.
/// <see cref="Line"/> is 1-based; <see cref="Column"/> is the 1-based UTF-8 byte offset of the
/// node within its line (Go prints the same offset counted from 0).
/// </summary>
public sealed class TemplateExecutionException : Exception
{
    internal TemplateExecutionException(string templateName, int line, int column, string context, string reason)
        : base($"template: {templateName}:{line}:{column}: executing {Execution.GoQuote.Quote(templateName)} at <{context}>: {reason}")
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public string TemplateName { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The message without the location and node prefix, e.g. <c>map has no entry for key "siteCode"</c>.</summary>
    public string Reason { get; }
}
