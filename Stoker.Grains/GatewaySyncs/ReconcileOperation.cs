namespace Stoker.Grains.GatewaySyncs;

/// <summary>Operations that can fail transiently, each with its own backoff counter.</summary>
public static class ReconcileOperation
{
    public const string GitCredentials = "git-credentials";
    public const string ResolveRef = "resolve-ref";
    public const string ApiKeySecret = "api-key-secret";
}
