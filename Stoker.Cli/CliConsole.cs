namespace Stoker.Cli;

/// <summary>
/// What a command reads and writes besides the server: the streams, the clock, <c>STOKER_SERVER</c>,
/// <c>STOKER_TOKEN</c> and the state folder where a loopback silo's admin token is (<c>STOKER_STATE_PATH</c> or the default).
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, TimeProvider Time, string? ServerFromEnvironment,
    string? TokenFromEnvironment = null, string? StateFolder = null);
