namespace Stoker.Silo.Authentication;

/// <summary>How the silo's HTTP port authenticates callers (<c>Stoker:Api:Authentication:Mode</c>).</summary>
public enum ApiAuthenticationMode
{
    /// <summary>Bearer tokens: the tokens file, the loopback admin token and, in Kubernetes mode, TokenReview.</summary>
    Tokens,

    /// <summary>Nobody is asked for anything; only together with <c>AllowAnonymous=true</c>.</summary>
    None,
}
