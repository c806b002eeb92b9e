using Stoker.Sync.Patching;

namespace Stoker.Tests.Patching;

// docs/resource-reference.md (patches[].set): sjson Set semantics, byte for byte.
public sealed class JsonPatcherTests
{
    private static string Set(string json, string path, string rendered) =>
        JsonPatcher.Apply(json, [new KeyValuePair<string, string>(path, rendered)], "config.json");

    private static string SetAll(string json, params (string Path, string Value)[] entries) =>
        JsonPatcher.Apply(json, entries.Select(e => new KeyValuePair<string, string>(e.Path, e.Value)), "config.json");

    // ── replacing existing values ────────────────────────────────────────────

    [Fact]
    public void Apply_IndentedFile_ChangesOnlyTheTargetValueBytes()
    {
        const string file = "{\n  \"SystemName\" : \"old\",\n\t\"http\": {\n    \"port\":   8088 ,\n    \"tls\": false\n  },\n  \"list\": [ 1,  2 ]\n}\n";

        var result = Set(file, "http.port", "9090");

        Assert.Equal(file.Replace("8088", "9090", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Apply_ReplaceWithLongerValue_KeepsEverythingAroundIt()
    {
        const string file = "{\r\n    \"a\": 1,\r\n    \"name\": \"x\",\r\n    \"z\": [true]\r\n}";

        var result = Set(file, "name", "a much longer name");

        Assert.Equal("{\r\n    \"a\": 1,\r\n    \"name\": \"a much longer name\",\r\n    \"z\": [true]\r\n}", result);
    }

    [Fact]
    public void Apply_ExistingKey_KeepsKeyOrder()
    {
        Assert.Equal("{\"c\":1,\"a\":\"new\",\"b\":2}", Set("{\"c\":1,\"a\":\"old\",\"b\":2}", "a", "new"));
    }

    [Fact]
    public void Apply_ReplaceContainerWithScalar_ReplacesWholeContainer()
    {
        Assert.Equal("{\"a\":5,\"b\":1}", Set("{\"a\":{\"x\":[1,{\"y\":2}]},\"b\":1}", "a", "5"));
    }

    [Fact]
    public void Apply_DuplicateKeys_ReplacesTheFirst()
    {
        Assert.Equal("{\"a\":9,\"a\":2}", Set("{\"a\":1,\"a\":2}", "a", "9"));
    }

    [Fact]
    public void Apply_KeyWrittenWithEscapes_IsFoundByItsValue()
    {
        Assert.Equal("{\"\\u0061b\":true}", Set("{\"\\u0061b\":false}", "ab", "true"));
    }

    [Fact]
    public void Apply_NonAsciiKey_IsFound()
    {
        Assert.Equal("{\"b\":{\"this\":{\"😇\":1}}}", Set("{\"b\":{\"this\":{\"😇\":\"\"}}}", "b.this.😇", "1"));
    }

    // ── adding keys ──────────────────────────────────────────────────────────

    [Fact]
    public void Apply_NewKey_IsAppendedBeforeClosingBrace()
    {
        Assert.Equal("{\"a\":1,\"b\":2}", Set("{\"a\":1}", "b", "2"));
    }

    [Fact]
    public void Apply_NewKeyInEmptyObject_HasNoComma()
    {
        Assert.Equal("{\"k\":\"v\"}", Set("{}", "k", "v"));
        Assert.Equal("{ \"k\":\"v\"}", Set("{ }", "k", "v"));
    }

    [Fact]
    public void Apply_NewKeyInIndentedFile_KeepsWhitespaceBeforeBraceAndDropsTrailingNewline()
    {
        // sjson: `,"key":value` goes right before `}`; the top-level object's surroundings are dropped.
        const string file = "  {\n  \"a\": 1\n}\n";

        Assert.Equal("{\n  \"a\": 1\n,\"b\":true}", Set(file, "b", "true"));
    }

    [Fact]
    public void Apply_NewKeyInNestedObject_KeepsTheRestOfTheFile()
    {
        const string file = "{\n  \"a\": {\n    \"x\": 1\n  },\n  \"z\": 0\n}\n";

        Assert.Equal("{\n  \"a\": {\n    \"x\": 1\n  ,\"y\":2},\n  \"z\": 0\n}\n", Set(file, "a.y", "2"));
    }

    [Fact]
    public void Apply_MissingIntermediates_AreCreatedAsObjects()
    {
        Assert.Equal("{\"x\":1,\"a\":{\"b\":{\"c\":\"d\"}}}", Set("{\"x\":1}", "a.b.c", "d"));
    }

    [Fact]
    public void Apply_MissingIntermediateBeforeNumericKey_IsCreatedAsPaddedArray()
    {
        Assert.Equal("{\"a\":[null,null,{\"b\":1}]}", Set("{}", "a.2.b", "1"));
        Assert.Equal("{\"a\":[\"x\"]}", Set("{}", "a.-1", "x"));
    }

    [Fact]
    public void Apply_NewKeyNeedingEscapes_IsWrittenWithGoEscaping()
    {
        Assert.Equal("{\"a\\\"b\":1}", Set("{}", "a\"b", "1"));
        Assert.Equal("{\"a\\u003cb\\\\\":1}", Set("{}", "a<b\\\\", "1"));
    }

    // ── arrays ───────────────────────────────────────────────────────────────

    [Fact]
    public void Apply_ExistingIndex_ReplacedInPlace()
    {
        Assert.Equal("[1, \"two\" , 3]", Set("[1, 2 , 3]", "1", "two"));
    }

    [Fact]
    public void Apply_IndexPastEnd_RewritesArrayWithNullPadding()
    {
        // sjson keeps the elements' raw text but not the whitespace between them.
        Assert.Equal("{\"a\":[1,{ \"b\" : 2 },null,null,5]}", Set("{\"a\":[ 1 ,\n { \"b\" : 2 } ]}", "a.4", "5"));
        Assert.Equal("[1,2,3]", Set("[1,2]", "2", "3"));
        Assert.Equal("[null,null,true]", Set("[]", "2", "true"));
        Assert.Equal("[true]", Set("[]", "0", "true"));
    }

    [Fact]
    public void Apply_MinusOne_AppendsKeepingInnerText()
    {
        Assert.Equal("[ 1,2  ,3]", Set("  [ 1,2  ] ", "-1", "3"));
        Assert.Equal("{\"tags\":[\n  \"a\"\n,\"b\"]}", Set("{\"tags\":[\n  \"a\"\n]}", "tags.-1", "b"));
        Assert.Equal("{\"tags\":[\"b\"]}", Set("{\"tags\":[]}", "tags.-1", "b"));
    }

    [Fact]
    public void Apply_MinusOneThenKey_AppendsNewObject()
    {
        Assert.Equal("{\"l\":[{\"a\":1},{\"name\":\"n\"}]}", Set("{\"l\":[{\"a\":1}]}", "l.-1.name", "n"));
    }

    [Fact]
    public void Apply_MinusOneOnObject_IsAKey()
    {
        Assert.Equal("{\"-1\":2}", Set("{\"-1\":1}", "-1", "2"));
        Assert.Equal("{\"a\":1,\"-1\":2}", Set("{\"a\":1}", "-1", "2"));
    }

    [Fact]
    public void Apply_NumericKeyOnObject_IsAKey()
    {
        Assert.Equal("{\"0\":\"b\"}", Set("{\"0\":\"a\"}", "0", "b"));
        Assert.Equal("{\"users\":{\"2313\":\"x\"}}", Set("{\"users\":{}}", "users.2313", "x"));
    }

    [Fact]
    public void Apply_NonNumericKeyOnArray_ThrowsNamingKey()
    {
        var e = Assert.Throws<JsonPatchException>(() => Set("{\"a\":[1]}", "a.name", "x"));

        Assert.Equal("config.json: cannot set path \"a.name\": cannot set array element for non-numeric key 'name'", e.Message);
        Assert.Equal("config.json", e.FileName);
        Assert.Equal("a.name", e.Path);
    }

    [Fact]
    public void Apply_ForcedNumericKeyOnArray_Throws()
    {
        var e = Assert.Throws<JsonPatchException>(() => Set("[1]", ":5", "x"));

        Assert.Contains("non-numeric key '5'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_HugePadding_IsRefused()
    {
        var e = Assert.Throws<JsonPatchException>(() => Set("[]", "5000000", "1"));

        Assert.Contains("padding", e.Message, StringComparison.Ordinal);
    }

    // ── escapes and the ':' prefix ───────────────────────────────────────────

    [Fact]
    public void Apply_EscapedDot_IsPartOfKey()
    {
        Assert.Equal("{\"app.token\":\"cde\"}", Set("{\"app.token\":\"abc\"}", "app\\.token", "cde"));
        Assert.Equal("{\"a\":{\"b\":1},\"a.b\":2}", Set("{\"a\":{\"b\":1}}", "a\\.b", "2"));
    }

    [Fact]
    public void Apply_ColonPrefix_ForcesObjectKey()
    {
        Assert.Equal("{\"users\":{\"2313\":\"x\"}}", Set("{}", "users.:2313", "x"));
        Assert.Equal("{\"1\":{\"this\":[null,null,null,null,4]}}", Set("{}", ":1.this.4", "4"));
    }

    [Fact]
    public void Apply_EscapedColonAndBackslash_AreLiteral()
    {
        Assert.Equal("{\":1\":{\"this\":[4]}}", Set("{}", "\\:1.this.0", "4"));
        Assert.Equal("{\":\\\\1\":{\"this\":[null,null,null,null,{\".HI\":4}]}}", Set("{}", "\\:\\\\1.this.4.\\.HI", "4"));
    }

    [Fact]
    public void Apply_EscapedQueryCharacters_AreLiteralKeys()
    {
        Assert.Equal("{\"a*b\":1,\"c#\":{\"@d\":2}}", SetAll("{}", ("a\\*b", "1"), ("c\\#.\\@d", "2")));
    }

    [Theory]
    [InlineData("", "path cannot be empty")]
    [InlineData("a..b", "key 2 is empty")]
    [InlineData("a.", "key 2 is empty")]
    [InlineData(".a", "key 1 is empty")]
    [InlineData("a\\", "trailing '\\' escapes nothing")]
    public void Apply_MalformedPath_ThrowsNamingPathAndRule(string path, string rule)
    {
        var e = Assert.Throws<JsonPatchException>(() => Set("{}", path, "1"));

        Assert.StartsWith($"config.json: cannot set path \"{path}\": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.Path);
    }

    // ── scalars where a container is needed ──────────────────────────────────

    [Fact]
    public void Apply_ScalarIntermediate_IsReplacedByObject()
    {
        Assert.Equal("{\"a\":{\"b\":1}}", Set("{\"a\":5}", "a.b", "1"));
        Assert.Equal("{\"a\":[null,1]}", Set("{\"a\":\"s\"}", "a.1", "1"));
        Assert.Equal("{\"a\":{\"-1\":1}}", Set("{\"a\":null}", "a.-1", "1"));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"x\"")]
    [InlineData(" true \n")]
    [InlineData("null")]
    public void Apply_ScalarDocument_BecomesObject(string document)
    {
        Assert.Equal("{\"key\":\"v\"}", Set(document, "key", "v"));
        Assert.Equal("[null,\"v\"]", Set(document, "1", "v"));
    }

    // ── invalid documents ────────────────────────────────────────────────────

    [Fact]
    public void Apply_NotJson_ThrowsWithLineAndColumn()
    {
        var e = Assert.Throws<JsonPatchException>(() => Set("not json", "key", "value"));

        Assert.StartsWith("config.json: file is not valid JSON (line 1, column 2): ", e.Message, StringComparison.Ordinal);
        Assert.Equal("config.json", e.FileName);
    }

    [Fact]
    public void Apply_ErrorOnLaterLine_ReportsThatLine()
    {
        var e = Assert.Throws<JsonPatchException>(() => Set("{\n  \"a\": 1,\n  \"é\": tru\n}", "a", "2"));

        // Columns count characters, not bytes: "é" is two bytes.
        Assert.StartsWith("config.json: file is not valid JSON (line 3, column 11): ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("// comment\n{}")]
    [InlineData("{'a':1}")]
    [InlineData("[01]")]
    [InlineData("{\"a\":\"tab\there\"}")]
    public void Apply_InvalidStrictJson_Throws(string document)
    {
        var e = Assert.Throws<JsonPatchException>(() => Set(document, "a", "1"));

        Assert.Contains("file is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NoEntries_ReturnsTextUnchangedWithoutValidating()
    {
        Assert.Equal("not json", JsonPatcher.Apply("not json", [], "x.json"));
    }

    [Fact]
    public void Apply_DeepButLegalNesting_IsAccepted()
    {
        var deep = new string('[', 5000) + new string(']', 5000);

        Assert.Equal("[1]", Set(deep, "0", "1"));
    }

    // ── byte order mark ──────────────────────────────────────────────────────

    [Fact]
    public void Apply_ByteOrderMark_IsKept()
    {
        Assert.Equal("\uFEFF{\"a\":2}\n", Set("\uFEFF{\"a\":1}\n", "a", "2"));
        Assert.Equal("\uFEFF{\"a\":1,\"b\":2}", Set("\uFEFF{\"a\":1}\n", "b", "2"));
    }

    // ── several entries ──────────────────────────────────────────────────────

    [Fact]
    public void Apply_SeveralEntries_AppliedInOrder()
    {
        var result = SetAll("{\"a\":1}", ("b", "x"), ("b", "y"), ("c.d", "true"), ("a", "null"));

        Assert.Equal("{\"a\":null,\"b\":\"y\",\"c\":{\"d\":true}}", result);
    }

    [Fact]
    public void Apply_ObjectValue_IsInsertedCompactWithSortedKeys()
    {
        Assert.Equal("{\"db\":{\"host\":\"h\",\"port\":5432}}", Set("{\"db\":null}", "db", "{ \"port\": 5432, \"host\": \"h\" }"));
    }

    // ── query paths: only existing values change ─────────────────────────────

    private const string Friends = "{\n  \"friends\": [\n    {\"first\": \"Dale\", \"last\": \"Murphy\", \"age\": 44},\n    {\"first\": \"Roger\", \"last\": \"Craig\", \"age\": 68},\n    {\"first\": \"Jane\", \"last\": \"Murphy\", \"age\": 47}\n  ]\n}\n";

    [Fact]
    public void Apply_QueryFirstMatch_ReplacesThatValueOnly()
    {
        var result = Set(Friends, "friends.#(last=\"Murphy\").last", "Johnson");

        Assert.Equal(ReplaceNth(Friends, "\"Murphy\"", "\"Johnson\"", 0), result);
    }

    [Fact]
    public void Apply_QueryAllMatches_ReplacesEach()
    {
        var result = Set(Friends, "friends.#(last==\"Murphy\")#.last", "Johnson");

        Assert.Equal(Friends.Replace("\"Murphy\"", "\"Johnson\"", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Apply_QueryNumericComparison_Matches()
    {
        var result = Set(Friends, "friends.#(age>45)#.age", "0");

        Assert.Equal(Friends.Replace("68", "0", StringComparison.Ordinal).Replace("47", "0", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Apply_QueryPatternMatch_Matches()
    {
        var result = Set(Friends, "friends.#(first%\"R*\").first", "Rex");

        Assert.Equal(Friends.Replace("\"Roger\"", "\"Rex\"", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Apply_AllElementsKey_ReplacesEachElementsValue()
    {
        var result = Set(Friends, "friends.#.age", "1");

        Assert.Equal(Friends.Replace("44", "1", StringComparison.Ordinal).Replace("68", "1", StringComparison.Ordinal).Replace("47", "1", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Apply_Wildcard_ReplacesFirstMatchingKey()
    {
        Assert.Equal("{\"port1\":1,\"port2\":2,\"x\":0}", Set("{\"port1\":0,\"port2\":2,\"x\":0}", "port*", "1"));
        Assert.Equal("{\"a\":{\"b\":1},\"ab\":{\"b\":9}}", Set("{\"a\":{\"b\":1},\"ab\":{\"b\":2}}", "a?.b", "9"));
    }

    [Theory]
    [InlineData("missing*")]
    [InlineData("friends.#(last==\"Nobody\").last")]
    [InlineData("friends.#(last==\"Nobody\")#.last")]
    [InlineData("friends.#")]
    [InlineData("friends.@reverse")]
    [InlineData("friends|@reverse")]
    [InlineData("@this.friends")]
    [InlineData("friends.#.missing")]
    public void Apply_QueryWithoutLocatableMatch_LeavesFileUnchanged(string path)
    {
        Assert.Equal(Friends, Set(Friends, path, "x"));
    }

    [Fact]
    public void Apply_AtKeyThatIsNotModifier_IsLiteralExistingKey()
    {
        const string file = "{\"@context\": {\"@vocab\": \"http://schema.org/\"}}";

        Assert.Equal("{\"@context\": {\"@vocab\": \"newval\"}}", Set(file, "@context.@vocab", "newval"));
        Assert.Equal(file, Set(file, "@context.@missing", "newval"));
    }

    private static string ReplaceNth(string text, string oldValue, string newValue, int n)
    {
        var index = -1;
        for (var i = 0; i <= n; i++)
        {
            index = text.IndexOf(oldValue, index + 1, StringComparison.Ordinal);
        }

        return string.Concat(text.AsSpan(0, index), newValue, text.AsSpan(index + oldValue.Length));
    }
}
