namespace Stoker.Cli.Manifests;

/// <summary>The kinds of resource <c>stoker apply -f</c> and <c>stoker delete -f</c> send, and where.</summary>
public enum ManifestKind
{
    /// <summary><c>stoker.io/v1alpha1 GatewaySync</c>, or a document naming no kind (the server then says what is missing).</summary>
    GatewaySync,

    /// <summary><c>v1 Secret</c>: the silo's core/v1 Secrets API (local mode keeps them in its secrets folder).</summary>
    Secret,

    Unsupported,
}
