namespace Stoker.Tests.FakeKubeApi;

/// <summary>Knobs of the fake API server.</summary>
public sealed class FakeKubeApiOptions
{
    /// <summary>Clock for creation/deletion timestamps and token expiry.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How often a watch that asked for bookmarks gets one (a real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>When true, a watch from a compacted resourceVersion gets a 200 stream with one ERROR event instead of an HTTP 410.</summary>
    public bool GoneAsErrorEvent { get; set; }

    /// <summary>Largest request body accepted (the real API server's limit is about 3 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary>Deepest JSON accepted in a request body.</summary>
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>Version reported by <c>/version</c>.</summary>
    public string GitVersion { get; set; } = "v1.32.0-fake";
}
