using System.Text;
using CsCheck;

namespace Stoker.Tests.Fuzz;

/// <summary>Building blocks of the fuzz generators: random text and structure-aware YAML, JSON and template text.</summary>
internal static class FuzzGens
{
    /// <summary>Characters YAML gives a meaning to, and a few that are trouble elsewhere (NUL, BOM, surrogates, line separators).</summary>
    public const string YamlChars = "abcxyz019 -:,[]{}&*!|>'\"#%@`?\n\t\\.\0\uFEFF\u2028\u0085é\uD800";

    public static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 200];

    public static readonly Gen<string> YamlishText = Gen.String[Gen.Char[YamlChars], 0, 300];

    /// <summary>Scalars, including the typed and troublesome ones (huge numbers, anchors, aliases, tags, escapes).</summary>
    public static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.String[Gen.Char["abcxyz019-_."], 0, 12],
        Gen.OneOf("true", "null", "~", "", "1e400", "-1e400", "99999999999999999999", "0x1F", ".inf", "-.nan", "007.5", "1_000",
            "'single'", "\"dq \\u0000 \\x41 \\U0001F600\"", "\"\\uD800\"", "!!int x", "!!binary aGk=", "!custom v", "&a0 x", "&a1 y",
            "*a0", "*a1", "*a2", "? k", "|\n  block", ">-\n  folded", "'it''s'", "\"\\\"\"", "<<: *a0", "- ", "--- ", "...", "%YAML 1.2"));

    private static readonly Gen<string> Key = Gen.OneOf(
        Gen.OneOf("apiVersion", "kind", "metadata", "name", "namespace", "spec", "git", "repo", "ref", "gateway", "port", "sync",
            "profiles", "mappings", "source", "destination", "vars", "labels", "items", "status", "<<", "\"quoted key\"", "? complex"),
        Gen.String[Gen.Char["abkz09_-"], 1, 8]);

    /// <summary>A YAML tree written in flow or block style, nested up to <paramref name="depth"/>, with anchors on collections.</summary>
    public static Gen<string> YamlNode(int depth, int indent)
    {
        if (depth <= 0)
        {
            return Scalar;
        }

        var child = YamlNode(depth - 1, indent + 2);
        var anchor = Gen.OneOf("", "", "", "&a0 ", "&a1 ", "&a2 ");
        var flowSeq = Gen.Select(anchor, child.Array[0, 4], (a, items) => a + "[" + string.Join(", ", items) + "]");
        var flowMap = Gen.Select(anchor, Gen.Select(Key, child).Array[0, 4], (a, pairs) => a + "{" + string.Join(", ", pairs.Select(p => p.Item1 + ": " + p.Item2)) + "}");
        var pad = new string(' ', indent);
        var blockMap = Gen.Select(Key, YamlNode(depth - 1, indent + 2)).Array[1, 4]
            .Select(pairs => "\n" + string.Join("\n", pairs.Select(p => pad + p.Item1 + ": " + p.Item2)));
        var blockSeq = YamlNode(depth - 1, indent + 2).Array[1, 4]
            .Select(items => "\n" + string.Join("\n", items.Select(i => pad + "- " + i)));
        return Gen.Frequency((3, Scalar), (2, flowSeq), (2, flowMap), (2, blockMap), (1, blockSeq));
    }

    /// <summary>Documents of generated YAML, sometimes several in one stream, sometimes an alias bomb or deep nesting in front.</summary>
    public static readonly Gen<string> YamlDocuments = Gen.Select(
        Gen.Select(Key, YamlNode(3, 2)).Array[1, 6].Select(pairs => string.Join("\n", pairs.Select(p => p.Item1 + ": " + p.Item2))).Array[1, 3],
        Gen.OneOf("", "", "", "a: &b [x, x, x, x, x, x, x, x, x, x]\nc: &d [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"),
        Gen.Int[0, 300],
        (documents, prefix, deep) => prefix + (deep > 290 ? new string('[', deep * 10) + "\n" : "") + string.Join("\n---\n", documents) + "\n");

    /// <summary><paramref name="valid"/> with a random cut, insertion or replacement.</summary>
    public static Gen<string> Mutated(string valid) => Gen.Select(Gen.Int[0, valid.Length], Gen.Int[0, 20], YamlishText, Gen.Int[0, 2],
        (at, length, snippet, how) =>
        {
            var end = Math.Min(valid.Length, at + length);
            return how switch
            {
                0 => valid[..at] + valid[end..],
                1 => valid[..at] + snippet + valid[at..],
                _ => valid[..at] + snippet + valid[end..],
            };
        });

    /// <summary>JSON values, including the keys the webhook parser probes for, duplicates and odd escapes.</summary>
    public static Gen<string> JsonValue(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.String[Gen.Char["abv019./-_~^:?*[\\@{ "], 0, 20].Select(s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal) + "\""),
            Gen.OneOf("true", "false", "null", "0", "-1", "1e400", "99999999999999999999", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"refs/heads/main\"",
                "\"v1.0.0\"", "\"0000000000000000000000000000000000000000\"", "\"" + new string('a', 40) + "\"", "\"main\\nfail\""));
        if (depth <= 0)
        {
            return scalar;
        }

        var key = Gen.OneOf("ref", "after", "before", "deleted", "release", "tag_name", "app", "metadata", "annotations", "git.ref",
            "freight", "commits", "tag", "repository", "x", "");
        var child = JsonValue(depth - 1);
        var obj = Gen.Select(key, child).Array[0, 5].Select(pairs => "{" + string.Join(",", pairs.Select(p => "\"" + p.Item1 + "\":" + p.Item2)) + "}");
        var array = child.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");
        return Gen.Frequency((3, scalar), (3, obj), (1, array));
    }

    /// <summary>Template text: literal text and actions built from Go template syntax, valid or not.</summary>
    public static readonly Gen<string> Template = Gen.OneOf(
        "{{", "}}", "{{- ", " -}}", "{{/* c */}}", "{{end}}", "{{else}}", "{{else if .Vars.a}}", "{{break}}", "{{continue}}",
        "{{.Vars.a}}", "{{.Vars.missing}}", "{{.Labels.site}}", "{{.GatewayName}}", "{{.PodOrdinal}}", "{{.Nope}}", "{{$}}", "{{$x := .Vars.a}}", "{{$x}}",
        "{{range .Vars}}", "{{range $k, $v := .Labels}}", "{{range 3}}", "{{range 100000000}}", "{{range -1}}", "{{if .Vars.a}}", "{{with .Labels}}",
        "{{printf \"%s-%03d\" .GatewayName .PodOrdinal}}", "{{printf \"%999999d\" 1}}", "{{printf \"%[3]*.[2]*[1]f\" 1.0 2 3}}", "{{printf}}",
        "{{index .Vars \"a\"}}", "{{index .Vars 1}}", "{{len .Vars}}", "{{slice .GatewayName 1 2}}", "{{slice .GatewayName 5 1}}",
        "{{eq .Vars.a \"x\" \"y\"}}", "{{lt 1 2.5}}", "{{and 1 0}}", "{{or}}", "{{not}}", "{{html .Vars.a}}", "{{js \"<\\u2028>\"}}", "{{urlquery \"a b\"}}",
        "{{print nil}}", "{{nil}}", "{{(.Vars)}}", "{{((((1))))}}", "{{.Vars.a | printf \"%q\"}}", "{{\"\\xff\" | len}}", "{{9223372036854775808}}",
        "{{0x1p-2}}", "{{'\\U0010FFFF'}}", "{{define \"x\"}}", "{{template \"x\"}}", "text ", "\n", "é", "\u2028", "{", "}", "$", "|", "(", ")", "\"")
        .Array[0, 24].Select(string.Concat);

    public static string Join(IEnumerable<string> parts) => parts.Aggregate(new StringBuilder(), (b, p) => b.Append(p)).ToString();
}
