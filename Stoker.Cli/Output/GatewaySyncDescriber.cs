using System.Globalization;
using Stoker.Grains.Interfaces.Git;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Cli.Output;

/// <summary><c>stoker describe gs NAME</c>: the resource for a person, in kubectl describe's layout.</summary>
public static class GatewaySyncDescriber
{
    private const string None = "<none>";
    private const int LabelWidth = 24;

    public static void Write(TextWriter output, GatewaySync resource, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(resource);
        var meta = resource.Metadata;
        var spec = resource.Spec;
        var status = resource.Status;

        Field(output, 0, "Name", meta.Name);
        Field(output, 0, "Namespace", meta.Namespace ?? ObjectMeta.DefaultNamespace);
        Map(output, "Labels", meta.Labels);
        Map(output, "Annotations", meta.Annotations);
        Field(output, 0, "Created", Timestamp(meta.CreationTimestamp, now));
        Field(output, 0, "Generation", meta.Generation?.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("Spec:");
        // A URL may carry user:password@ (docs/security.md, "Where credentials go"): describe is for people, never shows it.
        Field(output, 1, "Repository", UrlUserInfo.Redact(spec.Git.Repo));
        Field(output, 1, "Ref", spec.Git.Ref);
        Field(output, 1, "Auth", Auth(spec.Git.Auth));
        Field(output, 1, "Polling", spec.Polling is { Enabled: false } ? "disabled" : "every " + (spec.Polling?.Interval ?? PollingSpec.DefaultInterval));
        Field(output, 1, "Paused", spec.Paused == true ? "true" : "false");
        Field(output, 1, "Gateway API", $"port {spec.Gateway.Port}, TLS {(spec.Gateway.Tls ? "on" : "off")}, API key from secret {spec.Gateway.Api.SecretName} (key {spec.Gateway.Api.SecretKey})");
        if (spec.Sync.Defaults is { } defaults)
        {
            Field(output, 1, "Sync Period", $"{defaults.SyncPeriod}s");
            Field(output, 1, "Designer Sessions", defaults.DesignerSessionPolicy);
        }

        output.WriteLine("  Profiles:");
        foreach (var (name, profile) in spec.Sync.Profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var flags = new List<string>();
            if (profile.Paused == true)
            {
                flags.Add("paused");
            }

            if (profile.DryRun == true)
            {
                flags.Add("dry run");
            }

            output.WriteLine($"    {name} ({profile.Mappings.Count} mapping{(profile.Mappings.Count == 1 ? "" : "s")}{(flags.Count > 0 ? ", " + string.Join(", ", flags) : "")}):");
            foreach (var mapping in profile.Mappings)
            {
                var details = new List<string>();
                if (mapping.Type is { } type)
                {
                    details.Add(type);
                }

                if (mapping.Required == true)
                {
                    details.Add("required");
                }

                if (mapping.Template == true)
                {
                    details.Add("template");
                }

                if (mapping.Patches is { Count: > 0 } patches)
                {
                    details.Add($"{patches.Count} patch{(patches.Count == 1 ? "" : "es")}");
                }

                output.WriteLine($"      {mapping.Source} -> {mapping.Destination}{(details.Count > 0 ? " (" + string.Join(", ", details) + ")" : "")}");
            }
        }

        output.WriteLine("Status:");
        Field(output, 1, "Observed Generation", status?.ObservedGeneration?.ToString(CultureInfo.InvariantCulture));
        Field(output, 1, "Ref Resolution", status?.RefResolutionStatus);
        Field(output, 1, "Last Sync Ref", status?.LastSyncRef);
        Field(output, 1, "Last Sync Commit", status?.LastSyncCommit);
        Field(output, 1, "Last Sync", Timestamp(status?.LastSyncTime, now));
        Field(output, 1, "Profiles", status?.ProfileCount?.ToString(CultureInfo.InvariantCulture));

        var conditions = status?.Conditions ?? [];
        if (conditions.Count == 0)
        {
            Field(output, 0, "Conditions", None);
        }
        else
        {
            output.WriteLine("Conditions:");
            TablePrinter.Write(output, ["Type", "Status", "Reason", "Age", "Message"],
                conditions.Select(c => (IReadOnlyList<string>)[c.Type, c.Status, c.Reason, HumanDuration.Format(now - c.LastTransitionTime), c.Message]), "  ");
        }

        var gateways = status?.DiscoveredGateways ?? [];
        if (gateways.Count == 0)
        {
            Field(output, 0, "Discovered Gateways", None);
            return;
        }

        output.WriteLine("Discovered Gateways:");
        TablePrinter.Write(output, ["Name", "Profile", "Status", "Commit", "Ref", "Last Sync", "Duration", "Files", "Scan", "Agent"],
            gateways.Select(g => (IReadOnlyList<string>)[
                g.Name,
                string.IsNullOrEmpty(g.Profile) ? None : g.Profile,
                g.SyncStatus ?? "",
                g.SyncedCommit is { Length: > 7 } commit ? commit[..7] : g.SyncedCommit ?? "",
                g.SyncedRef ?? "",
                g.LastSyncTime is { } t ? HumanDuration.Format(now - t) + " ago" : "",
                g.LastSyncDuration ?? "",
                g.FilesChanged?.ToString(CultureInfo.InvariantCulture) ?? "",
                g.LastScanResult ?? "",
                g.AgentVersion ?? "",
            ]), "  ");
    }

    private static string Auth(GitAuthSpec? auth) => auth switch
    {
        { Token: { } token } => $"token (secret {token.SecretRef.Name}, key {token.SecretRef.Key})",
        { SshKey: { } ssh } => $"SSH key (secret {ssh.SecretRef.Name}, key {ssh.SecretRef.Key}){(ssh.KnownHosts is null ? "" : ", known hosts checked")}",
        { GithubApp: { } app } => $"GitHub App {app.AppId}, installation {app.InstallationId} (secret {app.PrivateKeySecretRef.Name}, key {app.PrivateKeySecretRef.Key})",
        _ => None,
    };

    private static string? Timestamp(DateTimeOffset? value, DateTimeOffset now) =>
        value is { } t ? $"{KubeTimeJsonConverter.ToKubeString(t)} ({HumanDuration.Format(now - t)} ago)" : null;

    private static void Map(TextWriter output, string label, IReadOnlyDictionary<string, string>? values)
    {
        if (values is not { Count: > 0 })
        {
            Field(output, 0, label, None);
            return;
        }

        var first = true;
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            // kubectl's last-applied-configuration annotation repeats the spec, spec.git.repo's user-info included.
            output.WriteLine((first ? (label + ":").PadRight(LabelWidth) : new string(' ', LabelWidth)) + $"{key}={UrlUserInfo.Redact(value)}");
            first = false;
        }
    }

    private static void Field(TextWriter output, int depth, string label, string? value)
    {
        var indent = new string(' ', depth * 2);
        output.WriteLine(indent + (label + ":").PadRight(LabelWidth - indent.Length) + (string.IsNullOrEmpty(value) ? None : value));
    }
}
