namespace Stoker.Silo.Api;

/// <summary>
/// What one pass over the manifests folder did. <paramref name="Settling"/> counts files written too recently to be
/// read (they keep what they declared before until the next pass).
/// </summary>
public sealed record ManifestScanResult(int Applied, int Deleted, int InvalidFiles, int Failures, int Settling = 0);
