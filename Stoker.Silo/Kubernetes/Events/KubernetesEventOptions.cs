namespace Stoker.Silo.Kubernetes.Events;

/// <summary>How Kubernetes Events are recorded (section <c>Stoker:Kubernetes:Events</c>).</summary>
public sealed class KubernetesEventOptions
{
    public const string SectionName = "Stoker:Kubernetes:Events";

    /// <summary>Occurrences waiting for the writer; beyond this the oldest are dropped (counted and logged) rather than block anyone.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Distinct events remembered for aggregation (client-go keeps 4,096).</summary>
    public int CacheSize { get; set; } = 4096;

    /// <summary>A repeat within this time of the last occurrence counts on the same Event object; later ones start a new one.</summary>
    public TimeSpan AggregationWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The shortest time between two writes to one Event object: a flood of repeats becomes count bumps.</summary>
    public TimeSpan MinWriteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest message written, in UTF-8 bytes (events.k8s.io's limit for a note); longer ones are cut.</summary>
    public int MaxMessageBytes { get; set; } = 1024;

    /// <summary>The first wait after a failed write (API server unreachable, 5xx, 429); doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one write may take before it counts as failed.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
