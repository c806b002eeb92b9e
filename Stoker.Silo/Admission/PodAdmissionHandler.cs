using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Api;

namespace Stoker.Silo.Admission;

/// <summary>
/// <c>/mutate-v1-pod</c>: the decision flow of docs/kubernetes.md ("Admission webhooks") around
/// <see cref="SidecarInjector"/>. GatewaySyncs are read from the silo's store, the same the controller acts on.
/// Denials block the pod; errors are answered as errors, which the <c>failurePolicy: Ignore</c> registration turns
/// into an un-injected pod (reported later as a missing sidecar).
/// </summary>
public sealed partial class PodAdmissionHandler(GatewaySyncStore store, AgentInjectionSettings settings, ILogger<PodAdmissionHandler> logger)
{
    public async Task<AdmissionResponse> HandleAsync(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uid = request.Uid ?? "";
        var ns = request.Namespace ?? "";
        var pod = PodShape.TryRead(request.Object, out var error);
        if (pod is null)
        {
            return AdmissionResponses.Errored(uid, StatusCodes.Status400BadRequest, AdmissionMessages.CannotDecode(error));
        }

        if (SidecarInjector.SkipReason(pod) is { } reason)
        {
            AdmissionMetrics.Count(ns, AdmissionMetrics.Skipped);
            return AdmissionResponses.Allowed(uid, reason);
        }

        var crName = pod.Annotation(Annotations.CrName);
        var discovered = crName.Length == 0;
        if (discovered)
        {
            IReadOnlyList<GatewaySync> found;
            try
            {
                found = await store.ListAsync(ns);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLookupFailed(logger, ns, e);
                return AdmissionResponses.Denied(uid, AdmissionMessages.ListFailed(e.Message));
            }

            switch (found.Count)
            {
                case 0:
                    return AdmissionResponses.Denied(uid, AdmissionMessages.NoneFound(ns));
                case > 1:
                    return AdmissionResponses.Denied(uid, AdmissionMessages.Several(ns, found.Select(r => r.Metadata.Name ?? "")));
                default:
                    crName = found[0].Metadata.Name ?? "";
                    break;
            }
        }

        GatewaySync? resource;
        try
        {
            resource = await store.GetAsync(ns, crName);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLookupFailed(logger, ns, e);
            return AdmissionResponses.Errored(uid, StatusCodes.Status500InternalServerError, $"failed to get GatewaySync '{crName}': {e.Message}");
        }

        if (resource is null)
        {
            return AdmissionResponses.Denied(uid, AdmissionMessages.NotFound(crName, ns));
        }

        if (resource.Spec.Paused == true)
        {
            return AdmissionResponses.Denied(uid, AdmissionMessages.Paused(crName));
        }

        // An empty profile is not checked: the agent then uses the default one.
        var profile = pod.Annotation(Annotations.Profile);
        if (profile.Length > 0 && !resource.Spec.Sync.Profiles.ContainsKey(profile))
        {
            return AdmissionResponses.Denied(uid, AdmissionMessages.ProfileNotFound(profile, crName));
        }

        var operations = SidecarInjector.Inject(pod, crName, discovered, resource, settings);
        AdmissionMetrics.Count(ns, AdmissionMetrics.Injected);
        LogInjected(logger, ns, Webhooks.UntrustedText.Sanitize(request.Name), crName);
        return AdmissionResponses.Patched(uid, operations);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sidecar injection: cannot read the GatewaySyncs of namespace {Namespace}")]
    private static partial void LogLookupFailed(ILogger logger, string @namespace, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sidecar injected into pod {Namespace}/{Pod} for GatewaySync {CrName}")]
    private static partial void LogInjected(ILogger logger, string @namespace, string pod, string crName);
}
