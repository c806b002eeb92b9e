using System.Reflection;
using Stoker.Sync;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Api;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Docs;

/// <summary>
/// docs/resource-reference.md cannot fall behind the resource: every property of the shipped CRD has a row with its
/// type, default and schema rules, every row names a real property, and every condition type and reason, annotation
/// and template variable in the code is on the page.
/// </summary>
public sealed class ResourceReferenceTests
{
    private static readonly MarkdownFile Reference = MarkdownFile.Load(Checkout.Combine("docs", "resource-reference.md"));

    private static readonly IReadOnlyList<CrdProperties.Property> Properties = CrdProperties.All(CrdProperties.LoadFromCheckout());

    [Fact]
    public void CrdWalk_FindsNestedPropertiesOfEveryKind()
    {
        var paths = Properties.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);

        // Object members, map values and array items are all walked.
        Assert.Contains("spec.git.auth.sshKey.knownHosts.secretRef.key", paths);
        Assert.Contains("spec.sync.profiles.<name>.mappings[].patches[].set", paths);
        Assert.Contains("status.conditions[].lastTransitionTime", paths);
        Assert.Contains("spec.agent.resources.claims[].request", paths);
        Assert.True(paths.Count > 100, $"only {paths.Count} paths: the walk stopped early");
    }

    [Fact]
    public void EveryCrdProperty_HasOneRowWithItsTypeDefaultAndRules()
    {
        var rows = FieldRows();
        var problems = new List<string>();
        foreach (var property in Properties)
        {
            var matching = rows.Where(r => r.Path == property.Path).ToList();
            if (matching.Count != 1)
            {
                problems.Add($"{property.Path}: {matching.Count} rows (expected one)");
                continue;
            }

            var row = matching[0].Row;
            var type = CrdProperties.TypeOf(property.Schema);
            if (row.Cell("Type") != type)
            {
                problems.Add($"{property.Path}: Type says \"{row.Cell("Type")}\", the CRD says \"{type}\"");
            }

            var defaultCell = row.Cell("Default");
            if (CrdProperties.DefaultOf(property.Schema) is { } expectedDefault ? defaultCell != expectedDefault : defaultCell != "—")
            {
                problems.Add($"{property.Path}: Default says \"{defaultCell}\", the CRD's default is {CrdProperties.DefaultOf(property.Schema) ?? "none (write —)"}");
            }

            var rules = row.Cell("Rules");
            problems.AddRange(CrdProperties.RuleWords(property.Schema, property.Required)
                .Where(word => !rules.Contains(word, StringComparison.Ordinal))
                .Select(word => $"{property.Path}: Rules \"{rules}\" do not mention \"{word}\""));
        }

        Assert.True(problems.Count == 0, $"docs/resource-reference.md disagrees with k8s/crd/gatewaysyncs.stoker.io.yaml:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void EverySpecAndStatusRow_NamesACrdProperty()
    {
        var paths = Properties.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);

        var unknown = FieldRows()
            .Where(r => r.Path.StartsWith("spec", StringComparison.Ordinal) || r.Path.StartsWith("status", StringComparison.Ordinal))
            .Where(r => !paths.Contains(r.Path))
            .Select(r => $"line {r.Row.Line}: {r.Path}");

        Assert.Empty(unknown);
    }

    [Fact]
    public void ConditionsTable_HasEveryConditionTypeAndReasonInTheCode()
    {
        var rows = Reference.Rows.Where(r => r.Section == "Conditions").ToList();
        var types = rows.SelectMany(r => MarkdownFile.CodeSpans(r.Cell("Type"))).ToHashSet(StringComparer.Ordinal);
        var reasons = rows.SelectMany(r => MarkdownFile.CodeSpans(r.Cell("Reason"))).ToHashSet(StringComparer.Ordinal);

        var missingTypes = Constants(typeof(ConditionTypes)).Where(t => !types.Contains(t)).ToList();
        var missingReasons = Constants(typeof(ConditionReasons)).Where(r => !reasons.Contains(r)).ToList();

        Assert.Empty(missingTypes);
        Assert.Empty(missingReasons);
    }

    [Fact]
    public void ConditionsTable_NamesOnlyTypesAndReasonsTheCodeHas()
    {
        var rows = Reference.Rows.Where(r => r.Section == "Conditions").ToList();

        Assert.NotEmpty(rows);
        Assert.Empty(rows.SelectMany(r => MarkdownFile.CodeSpans(r.Cell("Type"))).Except(Constants(typeof(ConditionTypes))));
        Assert.Empty(rows.SelectMany(r => MarkdownFile.CodeSpans(r.Cell("Reason"))).Except(Constants(typeof(ConditionReasons))));
        Assert.All(rows, r => Assert.Contains(r.Cell("Status"), new[] { ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown }));
    }

    [Fact]
    public void EveryStokerAnnotationAndLabel_IsOnThePage()
    {
        var keys = Constants(typeof(Annotations)).Append(ManifestsFolderReconciler.SourceAnnotation);

        var missing = keys.Where(k => !Reference.Text.Contains($"`{k}`", StringComparison.Ordinal)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void TemplateVariables_AreExactlyTheTemplateDataMembers()
    {
        var members = TemplateData.Create(new TemplateContext()).Fields.Keys.Select(k => "." + k).Order(StringComparer.Ordinal);

        var documented = Reference.Rows.Where(r => r.Section == "Template variables")
            .SelectMany(r => MarkdownFile.CodeSpans(r.Cell("Variable"))).Order(StringComparer.Ordinal);

        Assert.Equal(members, documented);
    }

    /// <summary>Rows whose first cell is one code span naming a field path.</summary>
    private static List<(string Path, MarkdownFile.TableRow Row)> FieldRows() =>
        [.. Reference.Rows
            .Where(r => r.Header.Length > 0 && r.Header[0] == "Field")
            .Select(r => (Spans: MarkdownFile.CodeSpans(r.Cells[0]), Row: r))
            .Where(r => r.Spans.Count == 1 && r.Row.Cells[0] == $"`{r.Spans[0]}`")
            .Select(r => (r.Spans[0], r.Row))];

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
}
