namespace Stoker.Silo.Api;

/// <summary>What one pass over the manifests folder did.</summary>
public sealed record ManifestScanResult(int Applied, int Deleted, int InvalidFiles, int Failures);
