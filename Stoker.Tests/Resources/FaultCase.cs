namespace Stoker.Tests.Resources;

/// <summary>
/// A resource with one fault and the violation it must produce: exact <paramref name="Field"/>, exact
/// <paramref name="Value"/> (JSON, null when the field is missing) and a fragment of the rule.
/// <paramref name="AlsoFields"/> lists fields of further violations the same fault legitimately causes.
/// </summary>
internal sealed record FaultCase(string Yaml, string Field, string? Value, string RuleFragment, params string[] AlsoFields);
