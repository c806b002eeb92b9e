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

    /// <summary>
    /// How often the dashboard samples its counters (every grain type's and silo's statistics). Orleans' own default is
    /// every second; with thousands of Gateway grains each sample costs the silo real CPU that fan-outs then miss (the
    /// propagation benchmark measured up to 0.4 s of CPU a second at 10,000 gateways), so Stoker samples every 5 s.
    /// At least 1 s.
    /// </summary>
    public TimeSpan CounterUpdateInterval { get; set; } = DefaultCounterUpdateInterval;

    public static readonly TimeSpan DefaultCounterUpdateInterval = TimeSpan.FromSeconds(5);

    /// <summary>The error for a setting the dashboard cannot take, or null.</summary>
    public string? Problem() => CounterUpdateInterval < TimeSpan.FromSeconds(1)
        ? $"{SectionName}:CounterUpdateInterval: {CounterUpdateInterval}: must be at least 1 second (00:00:01)"
        : null;

    public bool RequiresAuth => !string.IsNullOrEmpty(BearerToken) || (!string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password));
}
