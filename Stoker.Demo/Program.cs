using Stoker.Demo;

return await DemoCommandLine.RunAsync(args);
