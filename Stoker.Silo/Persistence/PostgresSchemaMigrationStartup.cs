using Orleans.Runtime;

namespace Stoker.Silo.Persistence;

/// <summary>
/// Runs <see cref="PostgresSchemaMigrator"/> at the very first silo lifecycle stage, before the
/// clustering, storage and reminder providers load their queries from <c>OrleansQuery</c>.
/// A failure stops the silo from starting.
/// </summary>
internal sealed class PostgresSchemaMigrationStartup(PostgresSchemaMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(PostgresSchemaMigrationStartup), ServiceLifecycleStage.First, migrator.MigrateAsync);
    }
}
