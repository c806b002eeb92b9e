namespace Stoker.Cli;

/// <summary>What a command reads and writes besides the server: the streams, the clock and <c>STOKER_SERVER</c>.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, TimeProvider Time, string? ServerFromEnvironment);
