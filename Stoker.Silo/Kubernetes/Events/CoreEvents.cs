using k8s.Models;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Kubernetes.Events;

/// <summary>
/// The core/v1 Event object of an aggregated GatewaySync event, one shape for both modes: Kubernetes mode writes it to
/// the API server, local mode serves it from its Events API (docs/kubectl.md, "Events").
/// </summary>
public static class CoreEvents
{
    public static Corev1Event Create(EventKey key, string eventName, string? objectResourceVersion, int count, DateTimeOffset first, DateTimeOffset last,
        string? instance)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = eventName, NamespaceProperty = key.Namespace },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = GatewaySync.ApiVersionValue,
                Kind = GatewaySync.KindValue,
                Name = key.Name,
                NamespaceProperty = key.Namespace,
                Uid = key.Uid,
                ResourceVersion = objectResourceVersion,
            },
            Type = key.Type,
            Reason = key.Reason,
            Message = key.Message,
            Count = count,
            FirstTimestamp = KubeTimeJsonConverter.Truncate(first).UtcDateTime,
            LastTimestamp = KubeTimeJsonConverter.Truncate(last).UtcDateTime,
            Source = new V1EventSource { Component = key.Component },
            ReportingComponent = key.Component,
            ReportingInstance = instance,
        };
    }
}
