namespace Stoker.Templating.Execution;

/// <summary>How a walked node ended: normally, or by <c>{{break}}</c>/<c>{{continue}}</c> unwinding to its range.</summary>
internal enum WalkControl
{
    Normal,
    Break,
    Continue,
}
