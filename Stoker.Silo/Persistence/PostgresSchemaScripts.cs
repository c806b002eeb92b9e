using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace Stoker.Silo.Persistence;

/// <summary>
/// The SQL embedded from <c>Persistence/Sql</c>: schema steps in version order and the provider
/// queries by <c>OrleansQuery</c> key (the file name).
/// </summary>
internal static class PostgresSchemaScripts
{
    private const string ResourcePrefix = "Stoker.Silo.Persistence.Sql.";
    private const string SchemaPrefix = ResourcePrefix + "Schema.";
    private const string QueryPrefix = ResourcePrefix + "Queries.";

    private static readonly Lazy<(IReadOnlyList<PostgresSchemaStep> Steps, FrozenDictionary<string, string> Queries)> Loaded = new(Load);

    public static IReadOnlyList<PostgresSchemaStep> Steps => Loaded.Value.Steps;

    public static FrozenDictionary<string, string> Queries => Loaded.Value.Queries;

    private static (IReadOnlyList<PostgresSchemaStep>, FrozenDictionary<string, string>) Load()
    {
        var assembly = typeof(PostgresSchemaScripts).Assembly;
        var steps = new List<PostgresSchemaStep>();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (resource.StartsWith(SchemaPrefix, StringComparison.Ordinal))
            {
                // "0001_orleans_tables.sql" ⇒ step 1, named "orleans_tables".
                var file = Path.GetFileNameWithoutExtension(resource[SchemaPrefix.Length..]);
                var separator = file.IndexOf('_', StringComparison.Ordinal);
                var version = int.Parse(file[..separator], NumberStyles.None, CultureInfo.InvariantCulture);
                steps.Add(new PostgresSchemaStep(version, file[(separator + 1)..], Read(assembly, resource)));
            }
            else if (resource.StartsWith(QueryPrefix, StringComparison.Ordinal))
            {
                queries.Add(Path.GetFileNameWithoutExtension(resource[QueryPrefix.Length..]), Read(assembly, resource));
            }
        }

        if (steps.Count == 0 || queries.Count == 0)
        {
            throw new InvalidOperationException($"The SQL resources under {ResourcePrefix} are missing from {assembly.GetName().Name}.");
        }

        steps.Sort((a, b) => a.Version.CompareTo(b.Version));
        return (steps, queries.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Trim();
    }
}
