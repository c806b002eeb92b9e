namespace Stoker.Silo.Api.Watch;

/// <summary>Watches of the apply API (<c>Stoker:Watch</c>): how often they look for changes and how many may run.</summary>
public sealed class WatchOptions
{
    public const string SectionName = "Stoker:Watch";

    /// <summary>How often an open watch lists the resources to find what changed.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Watches open at once across the silo; one more is answered 429.</summary>
    public int MaxConcurrentWatches { get; set; } = 100;

    /// <summary>How long a watch runs when the client gives no <c>timeoutSeconds</c>.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest a watch runs whatever the client asks; clients re-watch from the last resourceVersion.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a quiet watch that allows bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);
}
