using System.Security.Claims;
using k8s.Models;

namespace Stoker.Silo.Authentication;

/// <summary>A caller the Kubernetes API server authenticated (TokenReview): what a SubjectAccessReview needs to name it.</summary>
public sealed class KubernetesUserIdentity : ClaimsIdentity
{
    public KubernetesUserIdentity(V1UserInfo user)
        : base([new Claim(ClaimTypes.Name, user?.Username ?? "")], ApiAuthenticationDefaults.SchemeName)
    {
        User = user!;
    }

    public V1UserInfo User { get; }
}
