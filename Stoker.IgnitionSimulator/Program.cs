using Stoker.IgnitionSimulator;

return await SimulatorCommandLine.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
