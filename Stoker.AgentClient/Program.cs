using Stoker.AgentClient.Cli;
using Stoker.AgentClient.Runtime;

NativeHeap.LimitArenas();

// Dispatch on the first argument; each command is self-contained in Cli/. The long-running agent mode
// (`stoker-agent run ...`) joins here as its own case.
return args switch
{
    [SyncCommand.Name, ..] => SyncCommand.Run(args, Console.Out, Console.Error),
    [RunCommand.Name, ..] => await RunCommand.RunAsync(args, Console.Out, Console.Error),
    ["--version"] => Usage.Version(Console.Out),
    ["-h" or "--help" or "help"] => Usage.Print(Console.Out, ExitCodes.Success),
    _ => Usage.Print(Console.Error, ExitCodes.InvalidInput),
};
