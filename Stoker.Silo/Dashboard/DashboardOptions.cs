namespace Stoker.Silo.Dashboard;

/// <summary>
/// The Orleans dashboard under <c>/dashboard</c> (section <c>Stoker:Dashboard</c>). It has no auth of its own: the
/// API's authentication guards it (a viewer or admin token, as Bearer or as the Basic password).
/// </summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Stoker:Dashboard";

    public bool Enabled { get; set; } = true;

    /// <summary>Retired: the dashboard takes the API's tokens. Still bound so that a setting left behind stops the silo with a clear message.</summary>
    public string? Username { get; set; }

    /// <summary>Retired, see <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Retired, see <see cref="Username"/>.</summary>
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

    /// <summary>
    /// The error for the dashboard's former own credentials, or null. Refused rather than ignored: silently dropping
    /// them would leave an operator believing the dashboard still takes the password they set.
    /// </summary>
    public string? RetiredCredentialsProblem()
    {
        var set = new[] { (nameof(Username), Username), (nameof(Password), Password), (nameof(BearerToken), BearerToken) }
            .Where(s => !string.IsNullOrEmpty(s.Item2)).Select(s => $"{SectionName}:{s.Item1}").ToList();
        return set.Count == 0
            ? null
            : $"{string.Join(", ", set)}: no longer supported: the dashboard takes the API's tokens (Bearer, or Basic with any user name and "
                + $"the token as the password). Remove the setting and add the token's hash to {Authentication.ApiAuthenticationOptions.SectionName}:TokensFile "
                + "with role viewer or admin (docs/security.md, \"API authentication\")";
    }
}
