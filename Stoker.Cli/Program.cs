using Stoker.Cli;

return await StokerCommandLine.RunAsync(args, new CliConsole(Console.Out, Console.Error, Console.In, TimeProvider.System, Environment.GetEnvironmentVariable(StokerCommandLine.ServerVariable)));
