using Microsoft.Extensions.Configuration;
using Stoker.Silo.Authentication;

namespace Stoker.Tests.Authentication;

public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.3.4.5:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("https://LOCALHOST", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://10.0.0.5:8080", false)]
    [InlineData("http://silo.example:8080", false)]
    public void IsLoopback_ByHost(string url, bool loopback) => Assert.Equal(loopback, ListenAddresses.IsLoopback(url));

    [Fact]
    public void Configured_UrlsPortsAndKestrelEndpoints_AllCount_DefaultIsLocalhost()
    {
        Assert.Equal([ListenAddresses.DefaultUrl], ListenAddresses.Configured(Build([])));
        var urls = ListenAddresses.Configured(Build([new("urls", "http://127.0.0.1:1;http://0.0.0.0:2"), new("http_ports", "8080"), new("Kestrel:Endpoints:A:Url", "http://[::1]:3")]));
        Assert.Equal(["http://127.0.0.1:1", "http://0.0.0.0:2", "http://*:8080", "http://[::1]:3"], urls);
        Assert.Equal("http://0.0.0.0:2", ListenAddresses.FirstNonLoopback(urls));
        Assert.Null(ListenAddresses.FirstNonLoopback(["http://127.0.0.1:1", "http://localhost:2"]));
    }

    private static IConfiguration Build(KeyValuePair<string, string?>[] settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
