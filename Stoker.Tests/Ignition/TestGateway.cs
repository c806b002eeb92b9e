using Stoker.AgentClient.Ignition;
using Stoker.IgnitionSimulator;

namespace Stoker.Tests.Ignition;

/// <summary>Starts in-process simulated gateways and clients aimed at them, with delays short enough for tests.</summary>
internal static class TestGateway
{
    public const string Token = "stoker-agent:s3cret-Key";

    public static Task<GatewaySimulator> StartAsync(TimeProvider? time = null, string? dataDir = null, TimeSpan? startingFor = null) =>
        GatewaySimulator.StartAsync(new IgnitionSimulatorOptions
        {
            ApiToken = Token,
            TimeProvider = time ?? TimeProvider.System,
            DataDir = dataDir,
            StartingFor = startingFor,
        });

    public static IgnitionClientOptions Options(Uri baseUrl, string? token = Token) => new()
    {
        BaseUrl = baseUrl,
        ApiToken = token,
        ApiTokenSource = "API_KEY_FILE (/etc/stoker/api-key)",
        RequestTimeout = TimeSpan.FromSeconds(10),
        ScanRetryDelays = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)],
        DesignerPollInterval = TimeSpan.FromMilliseconds(20),
        DesignerMaxWait = TimeSpan.FromSeconds(20),
    };

    public static IgnitionClient Client(GatewaySimulator gateway, string? token = Token) => IgnitionClient.Create(Options(gateway.BaseUrl, token));

    /// <summary>Gateway calls to one route, in order.</summary>
    public static List<RecordedCall> CallsTo(this GatewaySimulator gateway, string route) =>
        [.. gateway.Control.Calls.Where(c => c.Path == "/" + route)];
}
