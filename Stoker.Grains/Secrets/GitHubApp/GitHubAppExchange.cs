using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>
/// One POST to GitHub's installation token endpoint. Answers are read only up to a bound; an error answer is quoted
/// (bounded, one line) so GitHub's message reaches the condition, a success answer never is (it holds the token).
/// </summary>
internal sealed class GitHubAppExchange : IDisposable
{
    /// <summary>How much of an error answer is quoted in the message.</summary>
    public const int MaxQuotedBytes = 4 * 1024;

    /// <summary>A token answer is well under 1 KiB plus its permissions and repository list; more is refused.</summary>
    public const int MaxAnswerBytes = 256 * 1024;

    private const string UserAgent = "stoker-control-plane";
    private const string MediaType = "application/vnd.github+json";

    private readonly HttpClient _http;

    public GitHubAppExchange(GitHubAppOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // The Authorization header must never follow a redirect to another host; a 3xx is reported instead.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.ExchangeTimeout,
            MaxResponseHeadersLength = 64,
        };
        if (options.CaFile is { Length: > 0 } caFile)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = GitHubAppTrust.ExtraRoots(GitHubAppTrust.LoadCertificates(caFile));
        }

        // The caller's token carries the deadline (GitHubAppOptions.ExchangeTimeout on the caller's clock).
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxAnswerBytes };
    }

    /// <summary>The installation token; a <see cref="GitCredentialsException"/> with GitHub's answer otherwise.</summary>
    public async Task<GitHubAppToken> ExchangeAsync(Uri apiBase, long installationId, string jwt, CancellationToken cancellationToken)
    {
        var url = new Uri(apiBase.AbsoluteUri.TrimEnd('/') + "/app/installations/" + installationId.ToString(CultureInfo.InvariantCulture) + "/access_tokens");
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue(UserAgent, typeof(GitHubAppExchange).Assembly.GetName().Version?.ToString(3) ?? "0"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new GitCredentialsException($"POST {url}: {Messages(e)}", e);
        }

        using (response)
        {
            var (body, complete) = await ReadBoundedAsync(response.Content, MaxAnswerBytes, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new GitCredentialsException($"GitHub API returned {(int)response.StatusCode}: {Quote(body, jwt)}");
            }

            if (!complete)
            {
                throw new GitCredentialsException($"GitHub API returned 201 with an answer larger than {MaxAnswerBytes / 1024} KiB");
            }

            return Parse(body);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The token and its expiry; what is wrong with the answer otherwise, never the answer itself.</summary>
    private static GitHubAppToken Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new GitCredentialsException("GitHub API returned 201 with an answer that is not a JSON object");
            }

            var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new GitCredentialsException("GitHub API returned 201 without a \"token\"");
            }

            var expires = root.TryGetProperty("expires_at", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (expires is null || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt))
            {
                throw new GitCredentialsException("GitHub API returned 201 without an RFC 3339 \"expires_at\"");
            }

            return new GitHubAppToken(token, expiresAt);
        }
        catch (JsonException e)
        {
            throw new GitCredentialsException($"GitHub API returned 201 with an answer that is not JSON ({e.Message})", e);
        }
    }

    private static async Task<(byte[] Body, bool Complete)> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return (buffer[..read], true);
            }

            read += n;
        }

        // Full: complete only if nothing follows.
        var probe = new byte[1];
        var complete = await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0;
        return (buffer, complete);
    }

    /// <summary>
    /// GitHub's answer as one bounded line: cut at <see cref="MaxQuotedBytes"/>, control characters replaced, and the
    /// JWT masked should an endpoint echo the request (GitHub does not).
    /// </summary>
    private static string Quote(byte[] body, string jwt)
    {
        var cut = body.Length > MaxQuotedBytes;
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxQuotedBytes)).TrimEnd('\uFFFD');
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        builder.Replace(jwt, "***");
        var quoted = builder.ToString().Trim();
        return cut ? quoted + " …(cut at " + (MaxQuotedBytes / 1024).ToString(CultureInfo.InvariantCulture) + " KiB)" : quoted.Length == 0 ? "(empty body)" : quoted;
    }

    private static string Messages(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null && messages.Count < 4; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(": ", messages.Distinct());
    }
}
