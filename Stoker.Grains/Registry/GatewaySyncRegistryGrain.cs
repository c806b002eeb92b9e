using Stoker.Grains.Interfaces;
using Stoker.Grains.Interfaces.Grains;

namespace Stoker.Grains.Registry;

public sealed class GatewaySyncRegistryGrain(
    [PersistentState("gatewaysync-registry", StokerStorage.Name)] IPersistentState<GatewaySyncRegistryState> state) : Grain, IGatewaySyncRegistryGrain
{
    public async Task Add(string @namespace, string name)
    {
        if (state.State.Keys.Add(GrainKeys.GatewaySync(@namespace, name)))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task Remove(string @namespace, string name)
    {
        if (state.State.Keys.Remove(GrainKeys.GatewaySync(@namespace, name)))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List(string? @namespace) => Task.FromResult<IReadOnlyList<string>>(
        state.State.Keys.Where(k => @namespace is null || k.StartsWith(@namespace + "/", StringComparison.Ordinal)).ToList());
}
