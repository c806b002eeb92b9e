namespace Stoker.Templating;

/// <summary>
/// Bounds on rendering one template (docs/templates.md, docs/security.md). Templates come from the repository and
/// their data from the resource, neither of which the agent controls: <c>{{range 9223372036854775807}}</c> or a few
/// nested ranges over a long list would otherwise keep an agent busy for ever or fill its memory. Past a bound the
/// render fails with a <see cref="TemplateExecutionException"/> naming it, like any other template error.
/// </summary>
public static class TemplateLimits
{
    /// <summary>
    /// The most steps (nodes walked plus range iterations) one render may take. A real config file takes a few
    /// thousand; a million take a fraction of a second. (At ten million, a <c>printf</c> in a long range made one
    /// render churn through 5 GB of allocations: found by the fuzz test.)
    /// </summary>
    public const long MaxSteps = 1_000_000;

    /// <summary>The longest output one render may produce, in characters: well above any Ignition config file.</summary>
    public const int MaxOutputChars = 32 * 1024 * 1024;
}
