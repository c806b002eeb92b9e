namespace Stoker.Tests.Demo;

/// <summary>The Stoker checkout the tests run from (the folder holding Stoker.sln).</summary>
internal static class Checkout
{
    public static string Root { get; } = Find();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "Stoker.sln")) && File.Exists(Path.Join(dir.FullName, "demo", "run.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Stoker checkout (Stoker.sln with demo/run.sh) above {AppContext.BaseDirectory}");
    }
}
