namespace Stoker.Templating;

/// <summary>
/// A template that cannot be parsed. <see cref="Line"/> is 1-based; <see cref="Column"/> is the
/// 1-based UTF-8 byte offset of the offending token within its line (Go counts the same bytes
/// from 0).
/// </summary>
public sealed class TemplateParseException : Exception
{
    internal TemplateParseException(string templateName, int line, int column, string reason)
        : base($"template: {templateName}:{line}:{column}: {reason}")
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public string TemplateName { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The message without the <c>template: name:line:column:</c> prefix.</summary>
    public string Reason { get; }
}
