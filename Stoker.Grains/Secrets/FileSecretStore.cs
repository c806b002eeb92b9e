namespace Stoker.Grains.Secrets;

/// <summary>
/// Local-mode Secrets: <c>{root}/{namespace}/{name}/{key}</c>, one file per key, the layout Kubernetes uses when it
/// mounts a Secret as a volume. A null root means "not configured".
/// </summary>
public sealed class FileSecretStore(string? root) : ISecretStore
{
    public bool IsConfigured => !string.IsNullOrEmpty(root);

    public Task<bool> ExistsAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(IsConfigured && Directory.Exists(SecretPath(@namespace, name)));

    public async Task<string?> ReadAsync(string @namespace, string name, string key, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return null;
        }

        var path = Path.Combine(SecretPath(@namespace, name), key);
        return IsSafeSegment(key) && File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    private string SecretPath(string @namespace, string name) =>
        IsSafeSegment(@namespace) && IsSafeSegment(name) ? Path.Combine(root!, @namespace, name) : Path.Combine(root!, "\0invalid");

    private static bool IsSafeSegment(string segment) =>
        segment.Length > 0 && segment != "." && segment != ".." && segment.IndexOfAny(['/', '\\', '\0']) < 0;
}
