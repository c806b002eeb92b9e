namespace Stoker.Silo.Kubernetes.Events;

/// <summary>
/// What makes two occurrences the same event, as client-go's recorder decides it: the object, the reporting component,
/// the type, the reason and the message. Repeats of one key are counted on one Event object.
/// </summary>
public sealed record EventKey(string Namespace, string Name, string? Uid, string Component, string Type, string Reason, string Message);
