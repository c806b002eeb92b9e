namespace Stoker.Silo.Dashboard;

/// <summary>The Orleans dashboard under <c>/dashboard</c> (section <c>Stoker:Dashboard</c>). It has no auth of its own.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Stoker:Dashboard";

    public bool Enabled { get; set; } = true;

    /// <summary>Basic auth user; with <see cref="Password"/> the dashboard requires it.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A static bearer token accepted instead of basic auth.</summary>
    public string? BearerToken { get; set; }

    public bool RequiresAuth => !string.IsNullOrEmpty(BearerToken) || (!string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password));
}
