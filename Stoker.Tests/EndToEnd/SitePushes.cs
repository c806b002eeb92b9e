using System.Net;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Webhooks;

namespace Stoker.Tests.EndToEnd;

/// <summary>What the end-to-end tests do to a site's repository and to the silo's webhook receiver.</summary>
internal static class SitePushes
{
    /// <summary>Commits <c>projects/{project}/project.json</c> and returns the commit.</summary>
    public static string CommitProject(GitRepository repo, string project)
    {
        repo.WriteFile($"projects/{project}/project.json", $"{{\"title\":\"{project}\"}}");
        return repo.Commit("add " + project);
    }

    /// <summary>
    /// Posts a GitHub push of <c>refs/heads/main</c> at <paramref name="commit"/> to <c>/webhook/{ns}/{name}</c>, signed
    /// with <paramref name="hmacSecret"/> (unsigned when null), and returns the receiver's status.
    /// </summary>
    public static async Task<HttpStatusCode> PushAsync(HttpClient http, string ns, string name, string commit, string? hmacSecret, bool formEncoded = false)
    {
        var json = $"{{\"ref\":\"refs/heads/main\",\"after\":\"{commit}\"}}";
        using var request = formEncoded
            ? WebhookRequests.PostForm(ns, name, json, hmacSecret, "push")
            : WebhookRequests.Post(ns, name, json, hmacSecret, gitHubEvent: "push");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
