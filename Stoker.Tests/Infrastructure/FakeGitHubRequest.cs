using System.Text.Json;

namespace Stoker.Tests.Infrastructure;

/// <summary>One request <see cref="FakeGitHubApi"/> received: its JWT's claims when the signature held, and why it was refused if it was.</summary>
public sealed record FakeGitHubRequest(
    string Path,
    IReadOnlyDictionary<string, JsonElement>? Claims,
    string? Problem,
    string Accept,
    string UserAgent,
    string Authorization);
