using Stoker.Cli.Output;

namespace Stoker.Tests.Api;

public sealed class CliOutputTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-0.5, "0s")]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(125, "2m5s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(5 * 3600 + 10 * 60, "5h10m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600 + 59 * 60, "47h")]
    [InlineData(2 * 86400, "2d")]
    [InlineData(2 * 86400 + 3 * 3600, "2d3h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(750 * 86400, "2y20d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void HumanDuration_Format_MatchesKubectlAges(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void TablePrinter_Write_PadsColumnsThreeSpacesApartWithoutTrailingBlanks()
    {
        using var output = new StringWriter();

        TablePrinter.Write(output, ["Name", "Gateways", "Ready"], [["a", "2/2 synced", "True"], ["longer-name", "", ""]]);

        Assert.Equal("NAME          GATEWAYS     READY\na             2/2 synced   True\nlonger-name\n", output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
