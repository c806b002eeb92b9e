using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Tests.Infrastructure;

/// <summary>Orleans' serializer as a client or silo has it, for tests that build agent parts without a client.</summary>
public static class Serializers
{
    private static readonly Lazy<IServiceProvider> Services = new(() => new ServiceCollection().AddSerializer().BuildServiceProvider());

    public static Serializer<DesiredState> DesiredState => Services.Value.GetRequiredService<Serializer<DesiredState>>();
}
