using Stoker.Grains.GatewaySyncs;

namespace Stoker.Tests.GitHubApp;

/// <summary>The poll lands on the token's refresh point when that is sooner than the polling interval.</summary>
public sealed class TokenRefreshScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    public static TheoryData<TimeSpan?, double?, TimeSpan?> Cases => new()
    {
        // interval, token expiry in minutes from now, expected
        { TimeSpan.FromSeconds(60), null, TimeSpan.FromSeconds(60) },
        { TimeSpan.FromSeconds(60), 60, TimeSpan.FromSeconds(60) },
        { TimeSpan.FromHours(2), 60, TimeSpan.FromMinutes(55) },
        { null, 60, TimeSpan.FromMinutes(55) },
        { null, 5, null },
        { TimeSpan.FromHours(2), 4, TimeSpan.FromHours(2) },
        { TimeSpan.FromHours(2), 10.0051, TimeSpan.FromSeconds(301) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithTokenRefresh_SoonerOfIntervalAndRefreshPoint(TimeSpan? interval, double? expiresInMinutes, TimeSpan? expected)
    {
        var expiry = expiresInMinutes is { } minutes ? Now.AddMinutes(minutes) : (DateTimeOffset?)null;

        Assert.Equal(expected, PollingPolicy.WithTokenRefresh(interval, expiry, Margin, Now));
    }
}
