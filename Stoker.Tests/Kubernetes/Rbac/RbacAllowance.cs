namespace Stoker.Tests.Kubernetes.Rbac;

/// <summary>
/// A granted (resource, verb) that no scenario here uses yet, with the reason: a feature not merged into this branch
/// whose scenario will use it. The integrator removes the allowance when adding that scenario.
/// </summary>
internal sealed record RbacAllowance(string Group, string Resource, string Verb, string Reason);
