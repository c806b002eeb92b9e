using Stoker.Cli;

return await StokerCommandLine.RunAsync(args, new CliConsole(Console.Out, Console.Error, Console.In, TimeProvider.System, Environment.GetEnvironmentVariable(StokerCommandLine.ServerVariable),
    Environment.GetEnvironmentVariable(Stoker.Cli.Client.ApiCredentials.TokenVariable), Stoker.Grains.Interfaces.Security.StokerStateFolder.Default));
