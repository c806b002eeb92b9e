namespace Stoker.Tests.Infrastructure;

/// <summary>
/// Finds a solution program in its own project's build output, in the configuration and framework the tests were
/// built with. The copy next to the test assembly cannot run: the tests take Microsoft.Extensions.* from the
/// ASP.NET shared framework (through the silo), so those assemblies are not copied there, and a program's
/// runtimeconfig may name only the base framework.
/// </summary>
internal static class BuiltProgram
{
    /// <param name="project">The project folder relative to the checkout, e.g. <c>Stoker.Silo</c> or <c>bench/Stoker.Bench</c>.</param>
    /// <param name="dll">The program's assembly file, e.g. <c>stoker-silo.dll</c>.</param>
    /// <returns>.../&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/&lt;dll&gt; in the nearest folder above the tests that has it; else the copy beside the tests.</returns>
    public static string Find(string project, string dll)
    {
        // .../Stoker.Tests/bin/<Configuration>/<tfm>/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Join([dir.FullName, .. project.Split('/'), "bin", configuration, framework, dll]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Join(AppContext.BaseDirectory, dll);
    }
}
