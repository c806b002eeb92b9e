namespace Stoker.Silo.Admission;

/// <summary>The mutating webhook's denial messages, worded as the original's (users and scripts match on them).</summary>
public static class AdmissionMessages
{
    public static string ListFailed(string error) => $"failed to list GatewaySync CRs: {error}";

    public static string NoneFound(string ns) => $"no GatewaySync CR found in namespace '{ns}'";

    public static string Several(string ns, IEnumerable<string> names) =>
        $"multiple GatewaySync CRs in namespace '{ns}': [{string.Join(", ", names)}] \u2014 set annotation '{Grains.Interfaces.Resources.Annotations.CrName}' explicitly";

    public static string NotFound(string name, string ns) => $"GatewaySync '{name}' not found in namespace '{ns}'";

    public static string Paused(string name) => $"GatewaySync '{name}' is paused";

    public static string ProfileNotFound(string profile, string name) => $"profile '{profile}' not found in GatewaySync '{name}'";

    public static string CannotDecode(string error) => $"cannot decode the pod: {error}";
}
