namespace Stoker.Silo.Api.Secrets;

/// <summary>A Secret read from a request: the object and its warnings, or the Status refusing it.</summary>
public sealed record SecretDecodeResult(SecretObject? Secret, IReadOnlyList<string> Warnings, ApiStatus? Error);
