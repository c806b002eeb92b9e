using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Stoker.Grains.Interfaces;

namespace Stoker.Silo.Persistence;

public static class StokerStorageSiloBuilderExtensions
{
    // The ADO.NET invariant name under which the Orleans providers load Npgsql.
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Registers where the silo keeps grain state (storage <see cref="StokerStorage.Name"/>, also the
    /// default storage), reminders and — with PostgreSQL — cluster membership.
    /// <list type="bullet">
    /// <item>No connection string: grain state kept in this process (<see cref="InProcessGrainStorage"/>) and in-memory reminders. Clustering is left to the
    /// caller (<c>UseLocalhostClustering()</c> for a single local silo).</item>
    /// <item>A connection string: the schema is migrated before Orleans starts, then ADO.NET clustering,
    /// grain storage and reminders on PostgreSQL. The caller still sets endpoints and
    /// <see cref="ClusterOptions"/>.</item>
    /// </list>
    /// Invalid options throw <see cref="OptionsValidationException"/> here, naming the setting.
    /// </summary>
    public static ISiloBuilder UseStokerStorage(this ISiloBuilder builder, StokerStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);

        var validator = new StokerStorageOptionsValidator();
        var validation = validator.Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(StokerStorageOptions), validation.Failures);
        }

        var connectionString = options.ConnectionString;
        builder.Services.AddSingleton<IValidateOptions<StokerStorageOptions>>(validator);
        builder.Services.AddOptions<StokerStorageOptions>()
            .Configure(o => o.ConnectionString = connectionString)
            .ValidateOnStart();

        // The providers would default to JSON (Newtonsoft); the Orleans serializer handles every
        // [GenerateSerializer] state type exactly as grain calls do, tolerates added and removed [Id]
        // members, and behaves the same in memory and in PostgreSQL.
        foreach (var name in (string[])[StokerStorage.Name, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME])
        {
            builder.Services.AddKeyedSingleton<IGrainStorageSerializer>(
                name, (sp, _) => new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()));
        }

        if (connectionString is null)
        {
            foreach (var name in (string[])[StokerStorage.Name, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME])
            {
                builder.Services.AddKeyedSingleton<IGrainStorage>(
                    name, (sp, _) => new InProcessGrainStorage(name, sp.GetRequiredKeyedService<IGrainStorageSerializer>(name)));
            }

            builder.UseInMemoryReminderService();
            return builder;
        }

        builder.Services.AddSingleton(sp => new PostgresSchemaMigrator(connectionString, sp.GetRequiredService<ILogger<PostgresSchemaMigrator>>()));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaMigrationStartup>();

        builder.UseAdoNetClustering(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        builder.AddAdoNetGrainStorage(StokerStorage.Name, o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        builder.AddAdoNetGrainStorageAsDefault(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        builder.UseAdoNetReminderService(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        return builder;
    }
}
