using Stoker.Sync.Globbing;

namespace Stoker.Tests.Globbing;

// docs/sync-engine.md: doublestar (bmatcuk/doublestar v4) matching of whole `/`-separated paths.
public sealed class DoublestarGlobTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // §6.3 examples.
        { "**/*.log", "data/x.log", true },
        { "**/*.log", "x.log", true },
        { "**/*.log", "data/deep/x.log", true },
        { "*.log", "x.log", true },
        { "*.log", "data/x.log", false },
        { "config/resources/core/images/**", "config/resources/core/images/a/b.png", true },
        { "config/resources/core/images/**", "config/resources/core/images", true },
        { "config/resources/core/images/**", "config/resources/core/imagesX", false },
        { "config/resources/core/images/**", "config/resources/core", false },
        // A trailing `/` in the pattern needs one in the path (the CRD default `**/.git/`).
        { "**/.git/", ".git", false },
        { "**/.git/", "a/.git", false },
        { "**/.git/", "a/.git/", true },
        // The always-on excludes and protected paths (§6.4).
        { "**/.git/**", "a/.git/config", true },
        { "**/.git/**", ".git/objects/ab", true },
        { "**/.git", ".git", true },
        { "**/.git", "a/b/.git", true },
        { "**/.gitkeep", "a/.gitkeep", true },
        { "**/.resources/**", ".resources", true },
        { "**/.resources/**", "data/.resources/x/y", true },
        { "**/.resources", "data/.resources", true },
        { "**/.sync-staging/**", ".sync-staging/a.json", true },
        // `a/**` and `a/**/` match the directory itself.
        { "a/**", "a", true },
        { "a/**", "a/", true },
        { "a/**", "a/b/c", true },
        { "a/**", "ab", false },
        { "a/**/", "a", true },
        { "a/**/", "a/", true },
        { "a/**/", "a/b/", true },
        { "a/**/", "a/b", false },
        { "**", "a/b/c", true },
        { "**", ".hidden/x", true },
        // `**` as a whole segment is zero or more segments.
        { "**/c", "c", true },
        { "**/c", "a/b/c", true },
        { "**/c", "abcd", false },
        { "**/c", "a/abc", false },
        { "a/**/b", "a/b", true },
        { "a/**/b", "a/x/y/b", true },
        { "a/**/b", "a/x/y/bb", false },
        // Anywhere else `**` is a single `*`.
        { "abc**", "abc/b", false },
        { "abc**", "abcdef", true },
        { "**.json", "b.json", true },
        { "**.json", "a/b.json", false },
        { "a/**b", "a/x/b", false },
        { "a/**b", "a/xb", true },
        // `*` and `?` never cross `/`; `?` is one character, even outside the BMP.
        { "*", "a/b", false },
        { "*", ".hidden", true },
        { "a/*/*/d", "a/b/c/d", true },
        { "a*b*c*d*e*/f", "axbxcxdxexxx/f", true },
        { "a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false },
        { "?", "a", true },
        { "a?b", "a/b", false },
        { "a?b", "a☺b", true },
        { "a?b", "a😀b", true },
        { "a??b", "a😀b", false },
        // Classes.
        { "[abc]", "b", true },
        { "[abc]", "d", false },
        { "[a-z0-9]", "1", true },
        { "ab[^c]", "abc", false },
        { "ab[!c]", "abd", true },
        { "ab[^e-g]", "abc", true },
        { "a[!x]b", "a/b", true }, // a class may match `/` in doublestar
        { "[\\]a]", "]", true },
        { "[\\-x]", "-", true },
        { "[-x]", "-", true },
        { "[x-]", "-", true },
        { "[a-b-d]", "-", true },
        { "[a-b-d]", "c", false },
        { "[c-a]", "b", false },
        { "[a-ζ]", "α", true },
        { "[😀-😂]", "😁", true },
        { "[😀-😂]", "😃", false },
        { "[!😀]", "😀", false },
        { "[!😀]", "😁", true },
        { "e/]", "e/]", true },
        // Alternatives.
        { "{a,b}.json", "a.json", true },
        { "{a,b}.json", "c.json", false },
        { "*.{json,yaml}", "x.yaml", true },
        { "ab{c,d,*}", "abcde", true },
        { "a{,bc}", "a", true },
        { "a{,bc}", "abc", true },
        { "{a/{b,c},abc}", "a/c", true },
        { "{a/{b,c},abc}", "abc", true },
        { "{a/{b,c},abc}", "a/b/c", false },
        { "**/{a,b}", "x/y/b", true },
        { "a/{b/c,c/b}", "a/c/b", true },
        { "{**/,}x.json", "p/q/x.json", true },
        // Escapes and literal metacharacters.
        { "\\*", "*", true },
        { "\\*", "a", false },
        { "a/\\**", "a/*b", true },
        { "a/\\**", "a/b/c", false },
        { "e/\\[x\\]/*", "e/[x]/[y]", true },
        { "e/[\\*\\?]", "e/?", true },
        { "e/{\\*,\\?}", "e/*", true },
        { "a.b", "axb", false },
        { "a+(b)", "a+(b)", true },
        { "^a$", "^a$", true },
        // Anchored, case-sensitive, no path cleaning.
        { "config.json", "a/config.json", false },
        { "config.json", "config.json.bak", false },
        { "*.JSON", "a.json", false },
        { "a/b/c", "a/b//c", false },
        { "/*", "/", true },
        { "", "", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsMatch_Table_MatchesDoublestar(string pattern, string path, bool expected)
    {
        Assert.True(DoublestarGlob.TryCreate(pattern, out var glob), $"pattern {pattern} should be valid");
        Assert.Equal(expected, glob!.IsMatch(path));
    }

    [Theory]
    [InlineData("\\")]
    [InlineData("a\\")]
    [InlineData("[")]
    [InlineData("[^")]
    [InlineData("[^bc")]
    [InlineData("[]a]")]
    [InlineData("a[")]
    [InlineData("{a")]
    [InlineData("a}")]
    [InlineData("ab{c,d}[")]
    [InlineData("{[,]}")]
    public void TryCreate_MalformedPattern_ReturnsFalseWithReason(string pattern)
    {
        Assert.False(DoublestarGlob.TryCreate(pattern, out var glob, out var error));
        Assert.Null(glob);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.False(DoublestarGlob.TryCreate(pattern, out _));
    }

    [Fact]
    public void TryCreate_TooManyAlternatives_ReturnsFalse()
    {
        var pattern = string.Concat(Enumerable.Repeat("{a,b}", 11));

        Assert.False(DoublestarGlob.TryCreate(pattern, out _, out var error));
        Assert.Contains("alternatives", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsMatch_PathologicalPatternAndLongPath_FinishesQuickly()
    {
        Assert.True(DoublestarGlob.TryCreate("**/*a*a*a*a*a*a*a*b/**/*a*a*a*c", out var glob));
        var path = string.Join('/', Enumerable.Repeat(new string('a', 200), 50));

        Assert.False(glob!.IsMatch(path));
    }
}
