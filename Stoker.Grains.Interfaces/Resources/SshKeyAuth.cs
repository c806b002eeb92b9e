using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record SshKeyAuth
{
    [Id(0), Required] public SecretKeyRef SecretRef { get; init; } = new();
    [Id(1)] public KnownHostsRef? KnownHosts { get; init; }
}
