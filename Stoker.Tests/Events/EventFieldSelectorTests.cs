using Stoker.Silo.Api.Events;

namespace Stoker.Tests.Events;

public sealed class EventFieldSelectorTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("involvedObject.name=a", 1)]
    [InlineData("involvedObject.name==a,type!=Normal", 2)]
    [InlineData("reason=a\\,b\\=c\\\\d", 1)]
    [InlineData("type=Normal,", 1)]
    public void Parse_Valid(string text, int terms)
    {
        var selector = EventFieldSelector.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(terms, selector!.Terms.Count);
    }

    [Fact]
    public void Parse_EscapedValue_Unescaped()
    {
        var selector = EventFieldSelector.Parse("reason=a\\,b\\=c\\\\d,type!=Normal", out _)!;

        Assert.Equal(new EventFieldTerm("reason", "a,b=c\\d", false), selector.Terms[0]);
        Assert.Equal(new EventFieldTerm("type", "Normal", true), selector.Terms[1]);
        Assert.True(selector.Matches(f => f == "reason" ? "a,b=c\\d" : "Warning"));
        Assert.False(selector.Matches(f => f == "reason" ? "a,b=c\\d" : "Normal"));
        Assert.Equal("a,b=c\\d", selector.RequiredValue("reason"));
        Assert.Null(selector.RequiredValue("type"));
    }

    [Theory]
    [InlineData("type", "invalid selector: 'type'; can't understand 'type'")]
    [InlineData("=x", "can't understand '=x'")]
    [InlineData("reason=a=b", "can't understand 'reason=a=b'")]
    [InlineData("reason=a\\", "can't understand 'reason=a\\'")]
    [InlineData("reason=a\\x", "can't understand 'reason=a\\x'")]
    [InlineData("spec.x=1", "field label not supported: spec.x")]
    [InlineData("involvedObject.name=a,status=b", "field label not supported: status")]
    public void Parse_Invalid_TheApiServersWording(string text, string message)
    {
        Assert.Null(EventFieldSelector.Parse(text, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
