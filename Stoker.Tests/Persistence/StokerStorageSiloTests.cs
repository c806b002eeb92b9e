using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using Stoker.Grains.Interfaces;
using Stoker.Silo.Persistence;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class StokerStorageSiloTests(PostgresServer server)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task UseStokerStorage_SiloDiesAndAnotherStartsOnTheSameDatabase_StateRemindersAndMembershipCarryOver()
    {
        // Trust authentication ignores the password; it is here to prove it never reaches a log line.
        const string Password = "pw-must-not-leak-4711";
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("silo_restart")) { Password = Password }.ConnectionString;
        var storage = new StokerStorageOptions { ConnectionString = connectionString };
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        var logs = new CapturedLogs();

        var first = PersistenceTestSilo.Build(storage, siloPort, gatewayPort, logs);
        int ticksBeforeRestart;
        SiloAddress firstSilo;
        try
        {
            await first.StartAsync();
            firstSilo = first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var probe = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IPersistenceProbeGrain>("probe");
            await probe.SetNote("kept across restarts");
            await probe.StartTicking(dueTime: TimeSpan.FromMilliseconds(100), period: TimeSpan.FromSeconds(1));
            ticksBeforeRestart = (await Eventually.Until(probe.GetState, s => s.Ticks >= 1, Deadline, "the reminder to tick on the first silo")).Ticks;
        }
        finally
        {
            await PersistenceTestSilo.StopAsync(first);
        }

        // A graceful stop marks the silo Dead; put its row back to Active, as a silo killed
        // without warning leaves it, so the next silo has to deal with a stale member.
        Assert.Equal(1, await ExecuteAsync(
            connectionString,
            $"UPDATE orleans_membership SET Status = 3 WHERE Port = {siloPort} AND Generation = {firstSilo.Generation}"));

        var second = PersistenceTestSilo.Build(storage, siloPort, gatewayPort, logs);
        try
        {
            await second.StartAsync();
            var secondSilo = second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var probe = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IPersistenceProbeGrain>("probe");

            var state = await probe.GetState();
            Assert.Equal("kept across restarts", state.Note);
            Assert.True(state.Ticks >= ticksBeforeRestart);
            Assert.True(await probe.HasReminder());
            await Eventually.Until(probe.GetState, s => s.Ticks > state.Ticks, Deadline, "the reminder to tick on the second silo without registering it again");

            var statuses = await Eventually.Until(
                () => MembershipStatusesAsync(connectionString),
                s => s.GetValueOrDefault(firstSilo.Generation) == SiloStatus.Dead && s.GetValueOrDefault(secondSilo.Generation) == SiloStatus.Active,
                Deadline,
                "the first silo to be declared dead and the second to be active");
            Assert.Equal(2, statuses.Count);
        }
        finally
        {
            await PersistenceTestSilo.StopAsync(second);
        }

        Assert.Contains(logs.Lines, l => l.Contains("is at schema version", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseStokerStorage_NoConnectionString_KeepsStateAndRemindersInMemory()
    {
        var host = PersistenceTestSilo.Build(new StokerStorageOptions(), FreePort.Next(), FreePort.Next());
        try
        {
            await host.StartAsync();
            Assert.IsType<InProcessGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>(StokerStorage.Name));
            Assert.IsType<InProcessGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
            var probe = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IPersistenceProbeGrain>("in-memory");

            await probe.SetNote("in memory");
            await probe.StartTicking(dueTime: TimeSpan.FromMilliseconds(100), period: TimeSpan.FromSeconds(1));

            var state = await Eventually.Until(probe.GetState, s => s.Ticks >= 1, Deadline, "the in-memory reminder to tick");
            Assert.Equal("in memory", state.Note);
        }
        finally
        {
            await PersistenceTestSilo.StopAsync(host);
        }
    }

    [Fact]
    public async Task UseStokerStorage_DatabaseUnreachable_StartFailsNamingHostPortAndSetting()
    {
        var port = FreePort.Next();
        var storage = new StokerStorageOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Database=stoker;Username=stoker;Password=pw-must-not-leak;Timeout=3",
        };
        var logs = new CapturedLogs();
        var host = PersistenceTestSilo.Build(storage, FreePort.Next(), FreePort.Next(), logs);
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

            var cause = FindInChain<PostgresSchemaMigrationException>(error);
            Assert.Contains($"127.0.0.1:{port}", cause.Message, StringComparison.Ordinal);
            Assert.Contains(StokerStorageOptions.ConnectionStringSetting, cause.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("pw-must-not-leak", error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("pw-must-not-leak", logs.Text, StringComparison.Ordinal);
        }
        finally
        {
            host.Dispose();
        }
    }

    [Theory]
    [InlineData("Host=db;Sever=db2", "not a valid PostgreSQL connection string: 'sever' is not a keyword")]
    [InlineData("Host=db;Port=fifty", "the value of 'port' is not valid")]
    [InlineData("Host=db;Password=pw-must-not-leak;Definitely Not A Keyword=1", "not a valid PostgreSQL connection string")]
    [InlineData("Host=db;Password=pw-must;not-leak=x", "details withheld")]
    [InlineData("Database=stoker;Username=stoker;Password=pw-must-not-leak", "Host=")]
    [InlineData("   ", "is empty")]
    public void UseStokerStorage_InvalidConnectionString_FailsAtConfigurationNamingTheSetting(string connectionString, string rule)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        var error = Assert.Throws<OptionsValidationException>(() =>
            builder.UseOrleans(silo => silo.UseStokerStorage(new StokerStorageOptions { ConnectionString = connectionString })));

        Assert.Contains(StokerStorageOptions.ConnectionStringSetting, error.Message, StringComparison.Ordinal);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-must", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-leak", error.Message, StringComparison.Ordinal);
    }

    private static T FindInChain<T>(Exception error)
        where T : Exception =>
        Flatten(error).OfType<T>().FirstOrDefault() ?? throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} in {error}");

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        yield return error;
        var inner = error is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)[.. error.InnerException is null ? [] : new[] { error.InnerException }];
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }

    private static async Task<Dictionary<int, SiloStatus>> MembershipStatusesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Generation, Status FROM orleans_membership", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new Dictionary<int, SiloStatus>();
        while (await reader.ReadAsync())
        {
            statuses[reader.GetInt32(0)] = (SiloStatus)reader.GetInt32(1);
        }

        return statuses;
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
