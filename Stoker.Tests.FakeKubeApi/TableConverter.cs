using System.Globalization;
using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>), which kubectl get asks
/// for: a Name column, then the stored CRD's <c>additionalPrinterColumns</c> for a custom resource (an Age
/// column when it has none or for built-in resources). Date columns become ages, as the API server prints them.
/// </summary>
public sealed class TableConverter
{
    private readonly ObjectStore store;
    private readonly TimeProvider time;

    public TableConverter(ObjectStore store, TimeProvider time)
    {
        this.store = store;
        this.time = time;
    }

    public static bool Wanted(string? accept) =>
        accept is not null && accept.Split(',')[0].Contains("as=Table", StringComparison.Ordinal);

    public JsonObject Convert(ResourceType type, IEnumerable<JsonObject> items, long resourceVersion, bool fullObjects)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(items);
        var columns = Columns(type);
        var definitions = new JsonArray();
        definitions.Add(Column("Name", "string", "name", 0, "Name must be unique within a namespace."));
        foreach (var column in columns)
        {
            definitions.Add(Column(column.Name, column.Type == "date" ? "date" : column.Type, string.Empty, column.Priority, column.Description));
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray(item["metadata"]?["name"]?.DeepClone());
            foreach (var column in columns)
            {
                cells.Add(Cell(column, SimpleJsonPath.Evaluate(item, column.JsonPath)));
            }

            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = fullObjects ? item.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static JsonObject Column(string name, string type, string format, int priority, string description) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };

    private JsonNode? Cell(PrinterColumn column, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (column.Type == "date" && DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            return HumanAge(time.GetUtcNow() - when);
        }

        return value is JsonValue ? value.DeepClone() : value.ToJsonString();
    }

    private static string HumanAge(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private List<PrinterColumn> Columns(ResourceType type)
    {
        var age = new PrinterColumn("Age", "date", ".metadata.creationTimestamp", 0, "CreationTimestamp of the object.");
        if (!type.IsCustom)
        {
            return [age];
        }

        var (crds, _) = store.List(ResourceCatalog.CustomResourceDefinitions, null, LabelSelector.Everything, FieldSelector.Parse($"metadata.name={type.Plural}.{type.Group}"));
        var version = crds.SelectMany(crd => crd["spec"]?["versions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(v => v["name"]?.GetValue<string>() == type.Version);
        if (version?["additionalPrinterColumns"] is not JsonArray printed || printed.Count == 0)
        {
            return [age];
        }

        return printed.OfType<JsonObject>().Select(c => new PrinterColumn(
            c["name"]?.GetValue<string>() ?? string.Empty,
            c["type"]?.GetValue<string>() ?? "string",
            c["jsonPath"]?.GetValue<string>() ?? string.Empty,
            c["priority"] is JsonValue p && p.TryGetValue<int>(out var priority) ? priority : 0,
            c["description"]?.GetValue<string>() ?? string.Empty)).ToList();
    }
}
