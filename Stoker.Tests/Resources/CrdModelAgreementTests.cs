using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Tests.Resources;

/// <summary>
/// The C# model and the shipped CRD describe the same resource: same fields, JSON types, required lists, defaults,
/// enums and bounds. Walks both trees together from <see cref="GatewaySync"/> and the openAPIV3Schema.
/// </summary>
public sealed class CrdModelAgreementTests
{
    /// <summary>Schema keywords this walk understands; anything else would be silently unchecked.</summary>
    private static readonly HashSet<string> KnownKeywords =
    [
        "type", "format", "description", "properties", "required", "additionalProperties", "items", "default", "enum", "minimum",
        "maximum", "minLength", "minItems", "minProperties", "anyOf", "pattern", "x-kubernetes-int-or-string",
        "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
    ];

    private static JsonObject Crd => CrdSchema.GatewaySync.Crd;

    private static JsonObject Version => CrdSchema.GatewaySync.Version;

    [Fact]
    public void Model_WalkedWithOpenApiSchema_AgreesEverywhere()
    {
        var problems = new List<string>();

        CheckObject(typeof(GatewaySync), CrdSchema.GatewaySync.OpenApiV3Schema, "", problems);

        Assert.True(problems.Count == 0, $"{problems.Count} model/CRD disagreements:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public void Model_Walk_VisitsEveryResourceRecord()
    {
        var visited = new HashSet<Type>();
        CheckObject(typeof(GatewaySync), CrdSchema.GatewaySync.OpenApiV3Schema, "", [], visited);

        var records = typeof(GatewaySync).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(GatewaySync).Namespace && t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)
            .Where(t => t != typeof(ObjectMeta) && t != typeof(ManagedFieldsEntry) && t != typeof(Quantity));
        Assert.Empty(records.Where(t => !visited.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void Schema_ListMapKeys_AreRequiredInTheirItems()
    {
        var problems = new List<string>();
        foreach (var (path, schema) in Nodes(CrdSchema.GatewaySync.OpenApiV3Schema, ""))
        {
            if ((string?)schema["x-kubernetes-list-type"] == "map")
            {
                var required = schema["items"]?["required"]?.AsArray().Select(r => (string?)r).ToHashSet() ?? [];
                problems.AddRange(schema["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string)k!).Where(k => !required.Contains(k)).Select(k => $"{path}: map key {k} is not required"));
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Crd_Identity_MatchesResourceSpecSection1()
    {
        Assert.Equal("apiextensions.k8s.io/v1", (string?)Crd["apiVersion"]);
        Assert.Equal("CustomResourceDefinition", (string?)Crd["kind"]);
        Assert.Equal("gatewaysyncs.stoker.io", (string?)Crd["metadata"]?["name"]);
        var spec = Crd["spec"]!;
        Assert.Equal(GatewaySync.Group, (string?)spec["group"]);
        Assert.Equal("stoker.io", GatewaySync.Group);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal(
            """{"kind":"GatewaySync","listKind":"GatewaySyncList","plural":"gatewaysyncs","singular":"gatewaysync","shortNames":["gs"]}""",
            spec["names"]!.ToJsonString());
        Assert.Equal(GatewaySync.Plural, (string?)spec["names"]!["plural"]);
        Assert.Equal(GatewaySync.KindValue, (string?)spec["names"]!["kind"]);
        var version = Assert.Single(spec["versions"]!.AsArray());
        Assert.Equal(GatewaySync.Version, (string?)version!["name"]);
        Assert.Equal("v1alpha1", GatewaySync.Version);
        Assert.True((bool)version["served"]!);
        Assert.True((bool)version["storage"]!);
        Assert.Equal("stoker.io/v1alpha1", GatewaySync.ApiVersionValue);
    }

    [Fact]
    public void Crd_Subresources_AreStatusOnly()
    {
        var subresources = Version["subresources"]!.AsObject();

        Assert.Equal(["status"], subresources.Select(p => p.Key));
        Assert.Equal("{}", subresources["status"]!.ToJsonString());
    }

    [Fact]
    public void Crd_TopLevelRequired_IsSpecOnly()
    {
        Assert.Equal("""["spec"]""", CrdSchema.GatewaySync.OpenApiV3Schema["required"]!.ToJsonString());
        Assert.Equal("""["git","gateway","sync"]""", CrdSchema.GatewaySync.OpenApiV3Schema["properties"]!["spec"]!["required"]!.ToJsonString());
    }

    [Fact]
    public void Crd_PrinterColumns_MatchResourceSpecSection4()
    {
        (string Name, string Type, string JsonPath, int Priority)[] expected =
        [
            ("Ref", "string", ".status.lastSyncRef", 0),
            ("Gateways", "string", ".status.conditions[?(@.type==\"AllGatewaysSynced\")].message", 0),
            ("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", 0),
            ("Status", "string", ".status.conditions[?(@.type==\"Ready\")].message", 0),
            ("Age", "date", ".metadata.creationTimestamp", 0),
            ("Commit", "string", ".status.lastSyncCommitShort", 1),
            ("Profiles", "integer", ".status.profileCount", 1),
            ("Last Sync", "date", ".status.lastSyncTime", 1),
        ];

        var columns = Version["additionalPrinterColumns"]!.AsArray().Select(c => c!.AsObject()).ToList();

        Assert.Equal(expected, columns.Select(c => ((string)c["name"]!, (string)c["type"]!, (string)c["jsonPath"]!, (int?)(long?)c["priority"] ?? 0)));
        Assert.All(columns, c => Assert.Empty(c.Select(p => p.Key).Except(["name", "type", "jsonPath", "priority"])));
    }

    [Fact]
    public void Crd_PrinterColumnPaths_NameSchemaFields()
    {
        var status = CrdSchema.GatewaySync.OpenApiV3Schema["properties"]!["status"]!["properties"]!.AsObject();
        foreach (var column in Version["additionalPrinterColumns"]!.AsArray())
        {
            var path = (string)column!["jsonPath"]!;
            if (path.StartsWith(".status.", StringComparison.Ordinal))
            {
                var field = path[".status.".Length..].Split('[', '.')[0];
                Assert.True(status.ContainsKey(field), $"{path} names no status field");
            }
        }
    }

    [Fact]
    public void Crd_Embedded_IsTheShippedFile()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Crd", "gatewaysyncs.stoker.io.yaml"));

        Assert.Equal(shipped, CrdSchema.ReadEmbeddedText());
    }

    private static void CheckObject(Type type, JsonObject schema, string path, List<string> problems, HashSet<Type>? visited = null)
    {
        visited?.Add(type);
        if ((string?)schema["type"] != "object" || schema["properties"] is not JsonObject properties)
        {
            problems.Add($"{Name(path)}: {type.Name} is a record but the schema is not an object with properties");
            return;
        }

        CheckKeywords(schema, path, problems);
        // What the serializer writes: [JsonIgnore] members are listed without a getter.
        var model = ResourceJson.Options.GetTypeInfo(type).Properties.Where(p => p.Get is not null).ToDictionary(p => p.Name, StringComparer.Ordinal);
        problems.AddRange(model.Keys.Where(k => !properties.ContainsKey(k)).Select(k => $"{Child(path, k)}: {type.Name} has it, the schema does not"));
        problems.AddRange(properties.Select(p => p.Key).Where(k => !model.ContainsKey(k)).Select(k => $"{Child(path, k)}: the schema has it, {type.Name} does not"));

        var required = (schema["required"]?.AsArray().Select(r => (string)r!) ?? []).Order(StringComparer.Ordinal).ToList();
        var modelRequired = model.Values.Where(p => Attribute<RequiredAttribute>(p) is not null).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        if (!required.SequenceEqual(modelRequired))
        {
            problems.Add($"{Name(path)}: schema required [{string.Join(", ", required)}], {type.Name} [Required] [{string.Join(", ", modelRequired)}]");
        }

        var instance = Activator.CreateInstance(type)!;
        foreach (var (name, property) in model.Where(p => properties.ContainsKey(p.Key)))
        {
            var propertyPath = Child(path, name);
            var propertySchema = properties[name]!.AsObject();
            if (path.Length == 0 && name == "metadata")
            {
                // The schema leaves ObjectMeta to the API server (type: object, nothing else).
                if (propertySchema.ToJsonString() != """{"type":"object"}""")
                {
                    problems.Add($"metadata: the schema says more than type: object: {propertySchema.ToJsonString()}");
                }

                continue;
            }

            CheckDefault(instance, property, propertySchema, propertyPath, problems);
            CheckConstraints(property, propertySchema, propertyPath, problems);
            CheckType(property.PropertyType, propertySchema, propertyPath, problems, visited);
        }
    }

    private static void CheckType(Type type, JsonObject schema, string path, List<string> problems, HashSet<Type>? visited)
    {
        CheckKeywords(schema, path, problems);
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = (string?)schema["type"];
        var format = (string?)schema["format"];
        string Describe() => $"{Name(path)}: {TypeName(type)} vs schema type {schemaType ?? "(none)"}{(format is null ? "" : " format " + format)}";

        if (type == typeof(Quantity))
        {
            if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() != true || schemaType is not null
                || schema["anyOf"]?.ToJsonString() != """[{"type":"integer"},{"type":"string"}]""")
            {
                problems.Add(Describe() + " (expected int-or-string)");
            }
        }
        else if (type == typeof(string) || type == typeof(DateTimeOffset))
        {
            if (schemaType != "string" || format != (type == typeof(DateTimeOffset) ? "date-time" : null))
            {
                problems.Add(Describe());
            }
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            if (schemaType != "integer" || format != (type == typeof(int) ? "int32" : "int64"))
            {
                problems.Add(Describe());
            }
        }
        else if (type == typeof(bool))
        {
            if (schemaType != "boolean" || format is not null)
            {
                problems.Add(Describe());
            }
        }
        else if (Generic(type, typeof(IReadOnlyList<>)) is { } item)
        {
            if (schemaType != "array" || schema["items"] is not JsonObject items)
            {
                problems.Add(Describe() + " (expected array with items)");
                return;
            }

            CheckType(item, items, path + "[]", problems, visited);
        }
        else if (Generic(type, typeof(IReadOnlyDictionary<,>)) is { } value)
        {
            if (type.GetGenericArguments()[0] != typeof(string) || schemaType != "object" || schema["properties"] is not null
                || schema["additionalProperties"] is not JsonObject additional)
            {
                problems.Add(Describe() + " (expected object with additionalProperties)");
                return;
            }

            CheckType(value, additional, path + "[*]", problems, visited);
        }
        else if (type.IsClass && type.Namespace == typeof(GatewaySync).Namespace)
        {
            CheckObject(type, schema, path, problems, visited);
        }
        else
        {
            problems.Add(Describe() + " (CLR type not mapped by this test)");
        }
    }

    /// <summary>A schema default is the model's initializer; no schema default (and not required) means no initializer.</summary>
    private static void CheckDefault(object instance, JsonPropertyInfo property, JsonObject schema, string path, List<string> problems)
    {
        var value = property.Get!(instance);
        if (path is "apiVersion" or "kind")
        {
            // TypeMeta: constants the serializer checks, not defaults.
            var constant = path == "apiVersion" ? GatewaySync.ApiVersionValue : GatewaySync.KindValue;
            if (!Equals(value, constant))
            {
                problems.Add($"{path}: initial value {value} is not {constant}");
            }

            return;
        }

        if (schema["default"] is { } schemaDefault)
        {
            var modelDefault = JsonSerializer.SerializeToNode(value, property.PropertyType, ResourceJson.Options);
            if (modelDefault?.ToJsonString() != schemaDefault.ToJsonString())
            {
                problems.Add($"{path}: schema default {schemaDefault.ToJsonString()}, model initial value {modelDefault?.ToJsonString() ?? "null"}");
            }
        }
        else if (Attribute<RequiredAttribute>(property) is null && value is not null)
        {
            problems.Add($"{path}: no schema default and not required, but the model starts with {JsonSerializer.Serialize(value, property.PropertyType, ResourceJson.Options)} (invented default)");
        }
    }

    private static void CheckConstraints(JsonPropertyInfo property, JsonObject schema, string path, List<string> problems)
    {
        var allowed = Attribute<AllowedValuesAttribute>(property)?.Values.Select(v => (string?)v).Order(StringComparer.Ordinal).ToList();
        var schemaEnum = schema["enum"]?.AsArray().Select(v => (string?)v).Order(StringComparer.Ordinal).ToList();
        if (!Same(allowed, schemaEnum))
        {
            problems.Add($"{path}: schema enum [{Join(schemaEnum)}], [AllowedValues] [{Join(allowed)}]");
        }

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var range = Attribute<RangeAttribute>(property);
        var (typeMin, typeMax) = type == typeof(int) ? ((decimal)int.MinValue, (decimal)int.MaxValue) : ((decimal)long.MinValue, (decimal)long.MaxValue);
        var modelMin = range is null ? null : Unbounded(Decimal(range.Minimum), typeMin);
        var modelMax = range is null ? null : Unbounded(Decimal(range.Maximum), typeMax);
        var schemaMin = schema["minimum"] is { } min ? Decimal(min.ToJsonString()) : (decimal?)null;
        var schemaMax = schema["maximum"] is { } max ? Decimal(max.ToJsonString()) : (decimal?)null;
        if (modelMin != schemaMin || modelMax != schemaMax || (range is not null && modelMin is null && modelMax is null))
        {
            problems.Add($"{path}: schema minimum/maximum {schemaMin?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{schemaMax?.ToString(CultureInfo.InvariantCulture) ?? "-"}, "
                + $"[Range] {modelMin?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{modelMax?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        }

        var keyword = type == typeof(string) ? "minLength"
            : Generic(type, typeof(IReadOnlyList<>)) is not null ? "minItems"
            : Generic(type, typeof(IReadOnlyDictionary<,>)) is not null ? "minProperties"
            : null;
        var modelLength = Attribute<MinLengthAttribute>(property)?.Length;
        var schemaLength = keyword is not null && schema[keyword] is { } length ? (int)Decimal(length.ToJsonString()) : (int?)null;
        var misplaced = new[] { "minLength", "minItems", "minProperties" }.Where(k => k != keyword && schema.ContainsKey(k)).ToList();
        if (modelLength != schemaLength || misplaced.Count > 0)
        {
            problems.Add($"{path}: schema {keyword ?? "min*"} {schemaLength?.ToString(CultureInfo.InvariantCulture) ?? "-"}{(misplaced.Count > 0 ? " (misplaced " + string.Join(", ", misplaced) + ")" : "")}, "
                + $"[MinLength] {modelLength?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        }
    }

    private static void CheckKeywords(JsonObject schema, string path, List<string> problems) =>
        problems.AddRange(schema.Select(p => p.Key).Where(k => !KnownKeywords.Contains(k)).Select(k => $"{Name(path)}: schema keyword {k} is not checked"));

    private static IEnumerable<(string Path, JsonObject Schema)> Nodes(JsonObject schema, string path)
    {
        yield return (path, schema);
        foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
        {
            foreach (var node in Nodes(child!.AsObject(), Child(path, name)))
            {
                yield return node;
            }
        }

        foreach (var (suffix, keyword) in new[] { ("[]", "items"), ("[*]", "additionalProperties") })
        {
            if (schema[keyword] is JsonObject nested)
            {
                foreach (var node in Nodes(nested, path + suffix))
                {
                    yield return node;
                }
            }
        }
    }

    private static T? Attribute<T>(JsonPropertyInfo property)
        where T : Attribute =>
        (property.AttributeProvider as MemberInfo)?.GetCustomAttribute<T>();

    /// <summary>The element (list) or value (dictionary) type when <paramref name="type"/> is that generic interface.</summary>
    private static Type? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type.GetGenericArguments()[^1] : null;

    private static decimal Decimal(object? value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture);

    private static decimal? Unbounded(decimal value, decimal typeLimit) => value == typeLimit ? null : value;

    private static bool Same(List<string?>? a, List<string?>? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static string Join(IEnumerable<string?>? values) => values is null ? "-" : string.Join(", ", values);

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Name(string path) => path.Length == 0 ? "(root)" : path;

    private static string TypeName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" : type.Name;
}
