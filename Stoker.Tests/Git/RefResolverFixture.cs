using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

/// <summary>
/// One repository, served over a local path, file:// and smart HTTP (anonymous, and behind basic auth):
/// <code>
/// main:    A ── C   (C tagged annotated "2.2.3")      tags:  v1.0 → A (lightweight), light → B
/// feature: A ── B                                      branches v1.0 and 2.2.3 → B (shadowed by the tags)
/// </code>
/// </summary>
public sealed class RefResolverFixture : IAsyncLifetime
{
    public const string TokenUser = "x-access-token";
    public const string Token = "tok3n-s3cret";

    private readonly TempDirectory _root = new("refs");
    private SmartHttpGitServer? _http;
    private SmartHttpGitServer? _authHttp;

    public GitRepository Repository { get; private set; } = null!;

    public string CommitA { get; private set; } = string.Empty;

    public string CommitB { get; private set; } = string.Empty;

    public string CommitC { get; private set; } = string.Empty;

    public string AnnotatedTagObject { get; private set; } = string.Empty;

    public SmartHttpGitServer Http => _http!;

    public SmartHttpGitServer AuthHttp => _authHttp!;

    public string UrlFor(string transport) => transport switch
    {
        "local" => Repository.Path,
        "file" => "file://" + Repository.Path,
        "http" => Http.UrlFor("site"),
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "expected local, file or http"),
    };

    public async Task InitializeAsync()
    {
        Repository = GitRepository.Create(_root.Combine("site"));
        Repository.WriteFile("README.md", "a");
        CommitA = Repository.Commit("A");
        Repository.Tag("v1.0");
        Repository.Branch("feature");
        Repository.Checkout("feature");
        Repository.WriteFile("README.md", "b");
        CommitB = Repository.Commit("B");
        Repository.Tag("light");
        Repository.Checkout("main");
        Repository.WriteFile("README.md", "c");
        CommitC = Repository.Commit("C");
        Repository.Tag("2.2.3", annotatedMessage: "release 2.2.3");
        AnnotatedTagObject = Repository.RevParse("2.2.3");
        Repository.Branch("v1.0", CommitB);
        Repository.Branch("2.2.3", CommitB);

        _http = await SmartHttpGitServer.StartAsync(_root.Path);
        _authHttp = await SmartHttpGitServer.StartAsync(_root.Path, requireBasicAuth: (TokenUser, Token));
    }

    public async Task DisposeAsync()
    {
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }

        if (_authHttp is not null)
        {
            await _authHttp.DisposeAsync();
        }

        Repository?.Dispose();
        _root.Dispose();
    }
}
