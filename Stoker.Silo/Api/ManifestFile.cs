using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api;

/// <summary>
/// One file of the manifests folder as last read: its content hash, whether it was valid, and the resources it
/// last held when valid (an invalid file keeps contributing those, so a typo never deletes anything).
/// </summary>
public sealed record ManifestFile(string Hash, bool Valid, IReadOnlyList<GatewaySync> Resources);
