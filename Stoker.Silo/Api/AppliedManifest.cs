namespace Stoker.Silo.Api;

/// <summary>A resource the manifests folder applied: the file it came from and the exact resource text sent.</summary>
public sealed record AppliedManifest(string File, string Fingerprint);
