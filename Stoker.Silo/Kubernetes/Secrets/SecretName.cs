namespace Stoker.Silo.Kubernetes.Secrets;

/// <summary>One Secret's namespace and name.</summary>
public readonly record struct SecretName(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
