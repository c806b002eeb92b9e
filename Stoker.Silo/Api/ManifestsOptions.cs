namespace Stoker.Silo.Api;

/// <summary>The manifests folder (section <c>Stoker:Manifests</c>; environment <c>Stoker__Manifests__Path</c> …).</summary>
public sealed class ManifestsOptions
{
    public const string SectionName = "Stoker:Manifests";

    /// <summary>The folder whose YAML/JSON files are applied; unset turns the folder off.</summary>
    public string? Path { get; set; }

    /// <summary>How often the whole folder is read again even without a change event (watchers miss events).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the folder must be quiet after a change before it is read (editors and git write in bursts).</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(500);
}
