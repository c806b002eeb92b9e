// The fake Kubernetes API server as its own process, for silo processes and manual kubectl use:
//   stoker-fake-kube-api [--port N] [--kubeconfig PATH] [--seed FILE.json ...] [--bookmark-seconds S] [--gone-as-error-event] [--exit-on-stdin-close]
// It prints "listening on URL" once ready and runs until SIGINT/SIGTERM (or, with --exit-on-stdin-close, until
// its parent closes stdin, so a test that dies takes it along). What it serves is
// described on FakeKubeApiServer.
using System.Globalization;
using System.Runtime.InteropServices;
using Stoker.Tests.FakeKubeApi;

var options = new FakeKubeApiOptions();
var port = 0;
string? kubeconfig = null;
var exitOnStdinClose = false;
var seeds = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--port":
            port = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--kubeconfig":
            kubeconfig = Next();
            break;
        case "--seed":
            seeds.Add(Next());
            break;
        case "--bookmark-seconds":
            options.BookmarkInterval = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture));
            break;
        case "--exit-on-stdin-close":
            exitOnStdinClose = true;
            break;
        case "--gone-as-error-event":
            options.GoneAsErrorEvent = true;
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument {args[i]}");
            return 2;
    }
}

await using var server = new FakeKubeApiServer(options);
foreach (var seed in seeds)
{
    server.Seed(await File.ReadAllTextAsync(seed));
}

await server.StartAsync(port);
if (kubeconfig is not null)
{
    server.WriteKubeconfig(kubeconfig);
}

Console.WriteLine($"listening on {server.Url}");
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
var stdinClosed = exitOnStdinClose
    ? Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync() is not null)
        {
        }
    })
    : Task.Delay(Timeout.Infinite, stop.Token);
await Task.WhenAny(stdinClosed, Task.Delay(Timeout.Infinite, stop.Token));
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
