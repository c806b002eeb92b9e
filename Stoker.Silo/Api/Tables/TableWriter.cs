using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.Tables;

/// <summary>
/// Writes <c>meta.k8s.io</c> Tables as the API server does for custom resources: a Name column first, then the
/// printer columns, each cell from its JSONPath (dates as ages, strings as printed text, missing values null), and
/// each row's object as asked. Reusable for any kind: give it the kind's columns.
/// </summary>
public sealed class TableWriter(IReadOnlyList<TableColumn> columns, TimeProvider time)
{
    public const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.";

    /// <summary>The Name column and then <paramref name="printerColumns"/>.</summary>
    public static IReadOnlyList<TableColumn> WithName(IEnumerable<TableColumn> printerColumns) =>
        [new TableColumn("Name", "string", "name", NameDescription, 0, null), .. printerColumns];

    /// <summary>The printer columns of a CRD version (<c>additionalPrinterColumns</c>).</summary>
    public static IReadOnlyList<TableColumn> FromCrdVersion(JsonObject version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var printer = version["additionalPrinterColumns"] as JsonArray ?? [];
        return WithName(printer.OfType<JsonObject>().Select(c => new TableColumn(
            (string?)c["name"] ?? "",
            (string?)c["type"] ?? "string",
            (string?)c["format"] ?? "",
            (string?)c["description"] ?? "",
            c["priority"] is JsonValue p ? p.GetValue<int>() : 0,
            JsonPathExpression.Parse((string?)c["jsonPath"] ?? ""))));
    }

    public IReadOnlyList<TableColumn> Columns { get; } = columns;

    public JsonObject Write(TableRequest request, IEnumerable<JsonObject> objects, string? resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(objects);
        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = request.ApiVersion,
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray([.. Columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            })]),
            ["rows"] = new JsonArray([.. objects.Select(o => (JsonNode)Row(request, o))]),
        };
    }

    private JsonObject Row(TableRequest request, JsonObject resource)
    {
        var row = new JsonObject { ["cells"] = new JsonArray([.. Columns.Select(c => Cell(c, resource))]) };
        switch (request.Include)
        {
            case TableIncludeObject.Object:
                row["object"] = resource.DeepClone();
                break;
            case TableIncludeObject.Metadata:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = request.ApiVersion,
                    ["metadata"] = resource["metadata"]?.DeepClone() ?? new JsonObject(),
                };
                break;
        }

        return row;
    }

    private JsonNode? Cell(TableColumn column, JsonObject resource)
    {
        if (column.Path is null)
        {
            return (string?)resource["metadata"]?["name"] ?? "";
        }

        var value = column.Path.First(resource);
        if (value is null)
        {
            return null;
        }

        return column.Type switch
        {
            "date" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? HumanAge.Format(time.GetUtcNow() - at)
                    : "<unknown>",
            "integer" => value is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? (long)n.GetValue<double>() : null,
            "number" => value is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? n.GetValue<double>() : null,
            "boolean" => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? b.GetValue<bool>() : null,
            _ => value is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : value.ToJsonString(),
        };
    }
}
