using Stoker.Templating;

namespace Stoker.Tests.Conformance;

// The data values of Go's exec_test.go, keyed by the Go expression the table writes, in the renderer's data
// model: a struct becomes a TemplateObject, a map a string-keyed dictionary, a slice a list, a pointer the value
// it points to. Fields whose Go type has no counterpart (methods, function values, complex numbers, maps with
// non-string keys, typed nil pointers) are left out; the cases that read them are skipped with the reason.
internal static class GoTestValues
{
    public static object? Data(string goExpression) => goExpression switch
    {
        "nil" => null,
        "0" => 0,
        "13" => 13,
        "123" => 123,
        "uint(14)" => 14u,
        "15.1" => 15.1,
        "true" => true,
        "\"hello\"" => "hello",
        "`It'd be nice.`" => "It'd be nice.",
        "[]int{-1, -2, -3}" => List(-1, -2, -3),
        "map[string]int{\"two\": 22}" => Map(("two", 22)),
        "map[string]string{\"cause\": \"neglect\"}" => new Dictionary<string, string> { ["cause"] = "neglect" },
        "struct {a int; b string}{7, \"seven\"}" => Struct("struct { a int; b string }", ("a", 7), ("b", "seven")),
        "T{}" => Struct("template.T"),
        "int(5)" => 5,
        "uintptr(0)" => 0UL,
        "'.'" => (int)'.',
        "'e'" => (int)'e',
        "'P'" => (int)'P',
        "tVal" => TVal(),
        _ => throw new ArgumentException($"no mapping for the Go value {goExpression}; skip the case or add one", nameof(goExpression)),
    };

    // var tVal = &T{...} in exec_test.go, with the fields the data model can hold. A typed nil pointer is nil
    // here (the same truth; the cases that print one are skipped).
    private static TemplateObject TVal() => Struct(
        "*template.T",
        ("True", true),
        ("I", 17),
        ("U16", (ushort)16),
        ("X", "x"),
        ("S", "xyz"),
        ("FloatZero", 0.0),
        ("U", Struct("*template.U", ("V", "v"))),
        ("SI", List(3, 4, 5)),
        ("SIEmpty", List()),
        ("SB", List(true, false)),
        ("AI", List(3, 4, 5)),
        ("MSI", Map(("one", 1), ("two", 2), ("three", 3))),
        ("MSIone", Map(("one", 1))),
        ("MSIEmpty", Map()),
        ("MXI", Map(("one", 1))),
        ("SMSI", List(Map(("one", 1), ("two", 2)), Map(("eleven", 11), ("twelve", 12)))),
        ("Empty0", null),
        ("Empty1", 3),
        ("Empty2", "empty2"),
        ("Empty3", List(7, 8)),
        ("Empty4", Struct("*template.U", ("V", "UinEmpty"))),
        ("NonEmptyInterface", Struct("*template.T", ("X", "x"))),
        ("NonEmptyInterfacePtS", List("a", "b")),
        ("NonEmptyInterfaceTypedNil", null),
        ("PI", 23),
        ("PS", "a string"),
        ("PSI", List(21, 22, 23)),
        ("NIL", null));

    // cmpStruct of TestComparison, with the fields the later table added that the data model can hold: the nil
    // interface and the nil map are nil, the empty map an empty dictionary, V's zero value an empty struct.
    public static TemplateObject ComparisonData() => Struct(
        "*struct { Uthree uint; Ufour uint; NegOne int; Three int; ... }",
        ("Uthree", 3u),
        ("Ufour", 4u),
        ("NegOne", -1),
        ("Three", 3),
        ("NonNilMap", Map()),
        ("Map", null),
        ("V1", Struct("template.V")),
        ("V2", Struct("template.V")),
        ("NilIface", null));

    // The map TestInterfaceValues renders against, without PlusOne (a function; the cases calling it are skipped).
    public static Dictionary<string, object?> InterfaceValuesData() =>
        Map(("Slice", List(0, 1, 2, 3)), ("One", 1), ("Two", 2), ("Nil", null), ("Zero", 0));

    private static TemplateObject Struct(string typeName, params (string Name, object? Value)[] fields) =>
        new(typeName, fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static List<object?> List(params object?[] items) => [.. items];
}
