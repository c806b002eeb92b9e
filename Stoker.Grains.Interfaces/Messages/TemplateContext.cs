namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// The data templates see (docs/templates.md). The control plane fills the resource's part (namespace, resource
/// name, ref, commit, the profile's vars) and the labels pod discovery saw; the agent fills what belongs to the
/// gateway from its own settings (gateway name, pod name, ordinal) and adds its own labels.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TemplateContext
{
    [Id(0)] public string GatewayName { get; init; } = "";
    [Id(1)] public string PodName { get; init; } = "";
    [Id(2)] public int PodOrdinal { get; init; }
    [Id(3)] public string Namespace { get; init; } = "";
    [Id(4)] public string Ref { get; init; } = "";
    [Id(5)] public string Commit { get; init; } = "";
    [Id(6)] public string CRName { get; init; } = "";
    [Id(7)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [Id(8)] public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The pod ordinal as the original derives it: the <c>apps.kubernetes.io/pod-index</c> label, else the
    /// integer after the last '-' of the pod name, else 0.
    /// </summary>
    public static int OrdinalOf(string? podName, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is not null && labels.TryGetValue("apps.kubernetes.io/pod-index", out var index)
            && int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fromLabel))
        {
            return fromLabel;
        }

        var dash = podName?.LastIndexOf('-') ?? -1;
        return dash >= 0 && int.TryParse(podName.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fromName)
            ? fromName
            : 0;
    }
}
