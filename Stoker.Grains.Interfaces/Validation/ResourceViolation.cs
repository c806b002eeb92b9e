namespace Stoker.Grains.Interfaces.Validation;

/// <summary>
/// One thing wrong with a resource: the field path (<c>spec.sync.profiles.standard.mappings[1].destination</c>),
/// the offending value as JSON (absent for a missing field) and the rule it breaks.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ResourceViolation(
    [property: Id(0)] string Field,
    [property: Id(1)] string? Value,
    [property: Id(2)] string Rule)
{
    public override string ToString() => Value is null ? $"{Field}: {Rule}" : $"{Field}: {Value}: {Rule}";
}
