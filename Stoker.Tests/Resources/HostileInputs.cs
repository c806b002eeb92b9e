using System.Text;

namespace Stoker.Tests.Resources;

/// <summary>
/// The resources of issue 11's attack tests, written as an attacker or an unlucky operator would send them: deep
/// nesting (JSON, YAML flow and YAML block), a YAML alias bomb and numbers no 64-bit type holds.
/// </summary>
internal static class HostileInputs
{
    /// <summary>The issue's depth: 20,000 levels, about 40 KB of JSON.</summary>
    public const int DeepLevels = 20_000;

    private const string Head = """{"apiVersion":"stoker.io/v1alpha1","kind":"GatewaySync","metadata":{"name":"deep","namespace":"hostile"},"spec":""";

    /// <summary>A resource whose spec is <paramref name="levels"/> arrays deep, as JSON (YAML flow style reads it too).</summary>
    public static string DeepJson(int levels = DeepLevels) => Head + new string('[', levels) + new string(']', levels) + "}";

    /// <summary>A resource whose spec is <paramref name="levels"/> flow mappings deep.</summary>
    public static string DeepYamlFlow(int levels = DeepLevels)
    {
        var text = new StringBuilder("apiVersion: stoker.io/v1alpha1\nkind: GatewaySync\nmetadata:\n  name: deep\nspec: ");
        text.Insert(text.Length, "{a: ", levels).Append('1').Append('}', levels).Append('\n');
        return text.ToString();
    }

    /// <summary>A resource whose spec is <paramref name="levels"/> block sequences deep (<c>- - - 1</c>, compact form).</summary>
    public static string DeepYamlBlock(int levels = DeepLevels)
    {
        var text = new StringBuilder("apiVersion: stoker.io/v1alpha1\nkind: GatewaySync\nmetadata:\n  name: deep\nspec:\n  ");
        text.Insert(text.Length, "- ", levels).Append("1\n");
        return text.ToString();
    }

    /// <summary>A resource nested <paramref name="levels"/> block mappings deep by indentation (the root is level 1).</summary>
    public static string DeepYamlIndented(int levels)
    {
        var text = new StringBuilder();
        for (var i = 0; i < levels - 1; i++)
        {
            text.Append(' ', 2 * i).Append("a:\n");
        }

        return text.Append(' ', 2 * (levels - 1)).Append("a: 1\n").ToString();
    }

    /// <summary>
    /// Billion laughs: nine strings, then <paramref name="levels"/> levels of nine aliases each to the level below
    /// (9^(levels+1) strings once expanded). Seven levels is the issue's 552-byte document that took the silo past 8 GB.
    /// </summary>
    public static string AliasBomb(int levels = 7)
    {
        var text = new StringBuilder("apiVersion: stoker.io/v1alpha1\nkind: GatewaySync\nmetadata:\n  name: bomb\n");
        text.Append("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= levels; i++)
        {
            var alias = $"*a{i - 1}";
            text.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat(alias, 9))}]\n");
        }

        return text.ToString();
    }

    /// <summary>A valid resource but for the gateway port, written as given (e.g. <c>1e400</c>).</summary>
    public static string WithPort(string port, string name = "numbers", string ns = "hostile") => $"""
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          git:
            repo: https://example.invalid/repo.git
            ref: main
          gateway:
            port: {port}
            api:
              secretName: gw-api-key
          sync:
            profiles:
              default:
                mappings:
                  - source: projects
                    destination: projects
        """;

    /// <summary>The same resource as JSON, the port written as given.</summary>
    public static string WithPortJson(string port, string name = "numbers", string ns = "hostile") =>
        "{\"apiVersion\":\"stoker.io/v1alpha1\",\"kind\":\"GatewaySync\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\"},"
        + "\"spec\":{\"git\":{\"repo\":\"https://example.invalid/repo.git\",\"ref\":\"main\"},\"gateway\":{\"port\":" + port + ",\"api\":{\"secretName\":\"gw-api-key\"}},"
        + "\"sync\":{\"profiles\":{\"default\":{\"mappings\":[{\"source\":\"projects\",\"destination\":\"projects\"}]}}}}}";
}
