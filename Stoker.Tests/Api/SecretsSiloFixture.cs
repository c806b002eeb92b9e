using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>A real silo process with a secrets folder, shared by a test class; each test uses its own namespace.</summary>
public sealed class SecretsSiloFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("secrets-api");
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public string SecretsPath => _temp.Combine("secrets");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(SecretsPath);
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "secrets",
            Environment = new Dictionary<string, string> { ["Stoker__Silo__SecretsPath"] = SecretsPath },
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _temp.Dispose();
    }
}
