namespace Stoker.Silo.Kubernetes;

/// <summary>Kubernetes-mode settings (section <c>Stoker:Kubernetes</c>; environment <c>Stoker__Kubernetes__…</c>).</summary>
public sealed class StokerKubernetesOptions
{
    public const string SectionName = "Stoker:Kubernetes";

    /// <summary>A kubeconfig file to reach the API server with (out of cluster, tests); unset uses the pod's service account.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>Namespaces whose GatewaySyncs are watched; empty watches all namespaces.</summary>
    public IList<string> Namespaces { get; } = [];

    /// <summary>Whether the watches run on one silo elected through a Lease; off only for a single silo.</summary>
    public bool LeaderElection { get; set; } = true;

    public string LeaseName { get; set; } = "stoker-silo-leader";

    /// <summary>The Lease's namespace; unset takes <c>POD_NAMESPACE</c>, then <c>stoker-system</c>.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>This silo's name in the Lease; unset takes <c>POD_NAME</c>, then the host name and process id.</summary>
    public string? Identity { get; set; }

    /// <summary>How long a leader's lease lasts without renewal: the longest a dead leader's watches stay unrun.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before giving the lease up.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the lease is tried or renewed.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one watch request stays open before it is opened again from the last resourceVersion.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait before reconnecting after a failed list or watch; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest time between two status writes to one resource (control-plane.md: at most one a second).</summary>
    public TimeSpan StatusWriteInterval { get; set; } = TimeSpan.FromSeconds(1);
}
