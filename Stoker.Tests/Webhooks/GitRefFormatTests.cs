using System.Diagnostics;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Tests.Webhooks;

/// <summary><see cref="GitRefFormat"/> agrees with the real <c>git check-ref-format --allow-onelevel</c> on every name in the table.</summary>
public sealed class GitRefFormatTests
{
    private static readonly string[] Names =
    [
        "main", "v1.0.0", "refs/heads/main", "refs/tags/v1.2.3", "feature/x-y_z", "release-2026.12", "a/b/c/d/e",
        "refs/heads/../../x", "a..b", "..", ".", "a/.", "a/..", ".hidden", "refs/heads/.hidden", "a/.b/c",
        "main.lock", "refs/heads/x.lock/y", "x.lockx", "a.lock.b", ".lock",
        "trailing/", "/leading", "a//b", "", "/", "end.", "refs/heads/end.", "a./b",
        "@", "@@", "a@b", "a@{b", "@{u}", "a{b", "a}b", "@/x", "x/@",
        "a b", "a\tb", "a\nb", "a\rb", "a\u0001b", "a\u001fb", "a\u007fb",
        "a~1", "a^", "a:b", "a?", "a*", "a[b", "a]b", "a\\b", "a!b", "a#b", "a$b", "a%b", "a&b", "a(b)", "a+b", "a,b", "a;b", "a<b>",
        "a=b", "a|b", "a'b", "a\"b", "a`b", "refs/heads/-dash", "a/-dash",
        "ünïcödé", "tag/€", "日本/ブランチ", "a\u00a0b", "a\u0080b",
        "refs/heads/main/", "refs//heads", "refs/heads/a..", "refs/heads/a.", ".a/b", "a/b.lock/c",
    ];

    [Fact]
    public void IsValid_TableOfNames_SameVerdictAsGitCheckRefFormat()
    {
        var disagreements = new List<string>();
        foreach (var name in Names)
        {
            var git = Git(name);
            var ours = GitRefFormat.IsValid(name, out var rule);
            if (git != ours)
            {
                disagreements.Add($"\"{Escape(name)}\": git says {(git ? "valid" : "invalid")}, we say {(ours ? "valid" : "invalid: " + rule)}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
    }

    [Fact]
    public void IsValid_LongerThanTheCap_RefusedThoughGitAcceptsIt()
    {
        var atCap = "refs/heads/" + new string('a', GitRefFormat.MaxBytes - "refs/heads/".Length);
        var overCap = atCap + "a";

        Assert.True(Git(overCap), "git itself sets no length limit");
        Assert.True(GitRefFormat.IsValid(atCap, out _));
        Assert.False(GitRefFormat.IsValid(overCap, out var rule));
        Assert.Contains("255 bytes", rule, StringComparison.Ordinal);
        Assert.False(GitRefFormat.IsValid(new string('é', 128), out _), "the cap counts UTF-8 bytes, not characters");
    }

    [Fact]
    public void IsValid_Invalid_RuleNamesTheProblem()
    {
        Assert.False(GitRefFormat.IsValid("main\nfail: x", out var newline));
        Assert.Contains("control characters", newline, StringComparison.Ordinal);
        Assert.False(GitRefFormat.IsValid("refs/heads/../../x", out var dots));
        Assert.Contains("..", dots, StringComparison.Ordinal);
        Assert.False(GitRefFormat.IsValid(null, out var empty));
        Assert.Contains("empty", empty, StringComparison.Ordinal);
    }

    private static bool Git(string name)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["check-ref-format", "--allow-onelevel", name])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    private static string Escape(string name) => string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
