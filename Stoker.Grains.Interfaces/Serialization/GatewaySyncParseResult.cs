using System.Diagnostics.CodeAnalysis;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>A parsed resource with its defaults applied, or every reason it was refused.</summary>
public sealed record GatewaySyncParseResult(GatewaySync? Resource, IReadOnlyList<ResourceViolation> Violations)
{
    [MemberNotNullWhen(true, nameof(Resource))]
    public bool IsValid => Resource is not null && Violations.Count == 0;

    /// <summary>All violations, one per line, for stderr and HTTP bodies.</summary>
    public string Describe() => string.Join(Environment.NewLine, Violations.Select(v => v.ToString()));
}
