namespace Stoker.Silo.Api.Patching;

/// <summary>A field an apply would change that another manager owns with another value.</summary>
public sealed record FieldConflict(string Manager, string? ApiVersion, string Path);
