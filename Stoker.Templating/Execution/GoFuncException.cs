namespace Stoker.Templating.Execution;

/// <summary>An error returned by a builtin function; the executor reports it as <c>error calling name: message</c>.</summary>
internal sealed class GoFuncException(string message) : Exception(message);
