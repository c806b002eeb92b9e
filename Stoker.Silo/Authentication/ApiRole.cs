namespace Stoker.Silo.Authentication;

/// <summary>What a token of the tokens file (or the admin token) may do.</summary>
public enum ApiRole
{
    /// <summary>Everything the HTTP port serves.</summary>
    Admin,

    /// <summary>Reading GatewaySyncs (get, list, watch) and the dashboard.</summary>
    Viewer,
}
