namespace Stoker.Grains.Secrets;

/// <summary>
/// Where the control plane finds the Secrets a resource names (git credentials, the Ignition API key).
/// Kubernetes Secrets in cluster mode; files in local mode.
/// </summary>
public interface ISecretStore
{
    /// <summary>False when no store is configured: existence checks are skipped rather than failing.</summary>
    bool IsConfigured { get; }

    Task<bool> ExistsAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The value of one key, or null when the Secret or the key is missing.</summary>
    Task<string?> ReadAsync(string @namespace, string name, string key, CancellationToken cancellationToken);
}
