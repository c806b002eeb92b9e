using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Stoker.Silo.Api.Lists;
using Stoker.Silo.Api.Tables;

namespace Stoker.Tests.Kubectl;

/// <summary>The read side's small parts, table-driven: label selectors, the printer columns' JSONPath, ages, and the Table writer.</summary>
public sealed class ReadTableAndSelectorUnitTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["tier"] = "web", ["env"] = "prod", ["replicas"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("tier=web", true)]
    [InlineData("tier==web", true)]
    [InlineData("tier!=web", false)]
    [InlineData("tier!=db", true)]
    [InlineData("missing!=x", true)]
    [InlineData("tier in (web,db)", true)]
    [InlineData("tier in (db)", false)]
    [InlineData("tier notin (db)", true)]
    [InlineData("missing notin (db)", true)]
    [InlineData("env", true)]
    [InlineData("!env", false)]
    [InlineData("!missing", true)]
    [InlineData("replicas>2", true)]
    [InlineData("replicas<2", false)]
    [InlineData("tier=web, env in (prod,dev) ,!missing", true)]
    [InlineData("tier=web,env=dev", false)]
    public void LabelSelector_Matches(string selector, bool expected)
    {
        var parsed = LabelSelector.Parse(selector, out var error);
        Assert.Null(error);
        Assert.Equal(expected, parsed!.Matches(Labels));
    }

    [Theory]
    [InlineData("tier in web", "parenthesised list")]
    [InlineData("=web", "not a valid label key")]
    [InlineData("tier=a b", "not a valid label value")]
    [InlineData("replicas>x", "must be an integer")]
    [InlineData("a,,b", "empty requirement")]
    public void LabelSelector_Malformed_NamesTheRequirement(string selector, string message)
    {
        Assert.Null(LabelSelector.Parse(selector, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains(selector, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Selectors_TooLong_AreRefusedNamingTheLimit()
    {
        Assert.Null(LabelSelector.Parse(new string('a', 5000), out var labels));
        Assert.Contains("longer than 4096", labels, StringComparison.Ordinal);
        Assert.Null(FieldSelector.Parse("metadata.name=" + new string('a', 5000), out var fields));
        Assert.Contains("longer than 4096", fields, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".status.lastSyncRef", "main")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "False")]
    [InlineData(".status.conditions[?(@.type=='Synced')].message", "2/3 synced")]
    [InlineData(".status.conditions[0].type", "Synced")]
    [InlineData(".status.conditions[-1].type", "Ready")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "stoker")]
    [InlineData("{.status.profileCount}", "2")]
    [InlineData(".status.conditions[?(@.type==\"Nope\")].status", null)]
    [InlineData(".status.missing.deeper", null)]
    public void JsonPath_FindsTheFirstValue(string path, string? expected)
    {
        var resource = JsonNode.Parse("""
            {"metadata":{"labels":{"app.kubernetes.io/name":"stoker"}},
             "status":{"lastSyncRef":"main","profileCount":2,
               "conditions":[{"type":"Synced","status":"True","message":"2/3 synced"},{"type":"Ready","status":"False"}]}}
            """);
        Assert.Equal(expected, JsonPathExpression.Parse(path).First(resource)?.ToString());
    }

    [Theory]
    [InlineData(".a[", "never closed")]
    [InlineData(".a[?(@.x>1)]", "unsupported subscript")]
    [InlineData("a.b", "unexpected 'a'")]
    public void JsonPath_Malformed_Throws(string path, string message)
    {
        var e = Assert.Throws<FormatException>(() => JsonPathExpression.Parse(path));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(192, "3m12s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 300, "3h5m")]
    [InlineData(10 * 3600, "10h")]
    [InlineData(3 * 86400 + 7200, "3d2h")]
    [InlineData(40 * 86400, "40d")]
    [InlineData(3 * 365 * 86400, "3y")]
    public void HumanAge_IsCoarserAsItGrows(long seconds, string expected) =>
        Assert.Equal(expected, HumanAge.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void TableWriter_NameFirst_DatesAsAges_MissingValuesNull()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var columns = TableWriter.WithName(
        [
            new TableColumn("Age", "date", "", "", 0, JsonPathExpression.Parse(".metadata.creationTimestamp")),
            new TableColumn("Profiles", "integer", "", "", 1, JsonPathExpression.Parse(".status.profileCount")),
            new TableColumn("Ref", "string", "", "", 0, JsonPathExpression.Parse(".status.lastSyncRef")),
        ]);
        var writer = new TableWriter(columns, time);
        var resource = JsonNode.Parse("""{"metadata":{"name":"a","creationTimestamp":"2026-12-07T09:55:00Z"},"status":{"profileCount":3}}""")!.AsObject();

        var table = writer.Write(new TableRequest("meta.k8s.io/v1", TableIncludeObject.None), [resource], "7");

        Assert.Equal(["Name", "Age", "Profiles", "Ref"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("a", (string?)cells[0]);
        Assert.Equal("5m", (string?)cells[1]);
        Assert.Equal(3, (long)cells[2]!);
        Assert.Null(cells[3]);
        Assert.Null(table["rows"]![0]!["object"]);
        Assert.Equal("7", (string?)table["metadata"]!["resourceVersion"]);
    }
}
