namespace Stoker.IgnitionSimulator;

/// <summary>The 400 answer of <c>POST /_sim/control</c>: every problem with the request; nothing was changed.</summary>
public sealed record ControlError(IReadOnlyList<string> Errors);
