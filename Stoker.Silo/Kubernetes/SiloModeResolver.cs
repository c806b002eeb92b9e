using Microsoft.Extensions.Configuration;
using Stoker.Silo.Hosting;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// Chooses the mode: <c>Stoker:Silo:Mode</c> when set; otherwise Kubernetes when the silo runs in a pod that can
/// talk to the API server (<c>KUBERNETES_SERVICE_HOST</c> and a mounted service-account token), Local otherwise,
/// so a pod without a token keeps local mode.
/// </summary>
public static class SiloModeResolver
{
    public const string ModeSetting = StokerSiloOptions.SectionName + ":Mode";
    public const string ServiceHostVariable = "KUBERNETES_SERVICE_HOST";
    public const string ServiceAccountTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    public static SiloMode Resolve(IConfiguration configuration, Func<string, string?>? environment = null, Func<string, bool>? fileExists = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[ModeSetting] is { Length: > 0 } configured)
        {
            return Enum.TryParse<SiloMode>(configured, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new InvalidOperationException($"{ModeSetting}: \"{configured}\": must be {SiloMode.Local} or {SiloMode.Kubernetes}");
        }

        environment ??= Environment.GetEnvironmentVariable;
        fileExists ??= File.Exists;
        return environment(ServiceHostVariable) is { Length: > 0 } && fileExists(ServiceAccountTokenPath) ? SiloMode.Kubernetes : SiloMode.Local;
    }
}
