namespace Stoker.Silo.Authentication;

/// <summary>Names of the HTTP port's authentication, in one place.</summary>
public static class ApiAuthenticationDefaults
{
    public const string SchemeName = "StokerApi";

    public const string PolicyName = "StokerApi";

    public const string Realm = "stoker";

    /// <summary>The claim carrying a token's role (<c>admin</c> or <c>viewer</c>).</summary>
    public const string RoleClaim = "stoker.io/role";

    /// <summary>A presented token longer than this is refused unread (service-account tokens are about 1 KB).</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>HttpContext item: why the request could not be checked (the API server did not answer): a 503.</summary>
    public const string UnavailableItem = "stoker.io/auth-unavailable";

    /// <summary>HttpContext item: the refusal's message for a 403.</summary>
    public const string ForbiddenItem = "stoker.io/auth-forbidden";
}
