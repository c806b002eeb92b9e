using System.Text;
using k8s.Models;
using Stoker.Grains.Secrets;

namespace Stoker.Silo.Kubernetes.Secrets;

/// <summary>
/// A Secret as read with one GET: its resourceVersion and its values as text (git tokens, PEM keys, known_hosts and API
/// keys are text). A Secret larger than <see cref="MaxBytes"/> keeps no values, only the error a read reports.
/// </summary>
public sealed class CachedSecret
{
    /// <summary>The most a Secret may hold (the API server's own limit, <c>corev1.MaxSecretSize</c>): more is refused.</summary>
    public const long MaxBytes = 1024 * 1024;

    private readonly IReadOnlyDictionary<string, string>? values;

    private CachedSecret(SecretName name, string? resourceVersion, IReadOnlyDictionary<string, string>? values, long bytes)
    {
        Name = name;
        ResourceVersion = resourceVersion;
        this.values = values;
        Bytes = bytes;
    }

    public SecretName Name { get; }

    public string? ResourceVersion { get; }

    /// <summary>The size of its data, decoded.</summary>
    public long Bytes { get; }

    public bool TooLarge => values is null;

    /// <summary>When a read last used it; entries nobody reads any more are dropped (<see cref="KubernetesSecretStore"/>).</summary>
    public DateTimeOffset LastRead { get; set; }

    public static CachedSecret From(SecretName name, V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        var bytes = data.Values.Sum(v => (long)(v?.Length ?? 0));
        if (bytes > MaxBytes)
        {
            return new CachedSecret(name, secret.Metadata?.ResourceVersion, null, bytes);
        }

        var text = data.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value ?? []), StringComparer.Ordinal);
        return new CachedSecret(name, secret.Metadata?.ResourceVersion, text, bytes);
    }

    /// <summary>The value of <paramref name="key"/>, or null when the Secret has no such key. Throws for a Secret that is too large.</summary>
    public string? Read(string key) =>
        values is null
            ? throw new SecretReadException($"secret {Name} holds {Bytes} bytes of data, more than the {MaxBytes} bytes (1 MiB) a Secret may hold; it is not read")
            : values.GetValueOrDefault(key);
}
