using System.Text.Json;

namespace Stoker.Silo.Webhooks;

/// <summary>
/// Finds the ref in a webhook body (docs/webhooks.md). Probes, first hit wins: <c>release.tag_name</c> (github),
/// <c>app.metadata.annotations["git.ref"]</c> (argocd), <c>freight.commits[0].tag</c> (kargo), top-level
/// <c>ref</c> (generic). Each value must be a non-empty string. Duplicate keys resolve to the last one, as Go's
/// decoder does.
/// </summary>
public static class WebhookPayloadParser
{
    private static readonly string[] Zeros = [new('0', 40), new('0', 64)];

    /// <summary>The ref and source, or null for invalid JSON, a non-object, or no ref anywhere.</summary>
    public static WebhookPayload? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return ParseCore(body);
        }
        catch (InvalidOperationException)
        {
            // A string or key escaping half a surrogate pair ("\ud800"): well-formed JSON, but no text. System.Text.Json
            // only notices when the string is read (found by the fuzz test).
            return null;
        }
    }

    /// <summary>
    /// A GitHub <c>push</c> event: <c>ref</c> (required), <c>after</c>, and whether the ref was deleted
    /// (<c>deleted: true</c> or an all-zero <c>after</c>). Null when the body has no ref.
    /// </summary>
    public static GitHubPush? ParsePush(ReadOnlyMemory<byte> body)
    {
        try
        {
            return ParsePushCore(body);
        }
        catch (InvalidOperationException)
        {
            // Half a surrogate pair escaped in a string or key, as in Parse.
            return null;
        }
    }

    private static WebhookPayload? ParseCore(ReadOnlyMemory<byte> body)
    {
        using var document = TryParseObject(body);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        if (NonEmptyString(Property(Property(root, "release"), "tag_name")) is { } tag)
        {
            return new WebhookPayload(tag, WebhookSources.GitHub);
        }

        if (NonEmptyString(Property(Property(Property(Property(root, "app"), "metadata"), "annotations"), "git.ref")) is { } argo)
        {
            return new WebhookPayload(argo, WebhookSources.ArgoCd);
        }

        if (Property(Property(root, "freight"), "commits") is { ValueKind: JsonValueKind.Array } commits && commits.GetArrayLength() > 0
            && NonEmptyString(Property(commits[0], "tag")) is { } kargo)
        {
            return new WebhookPayload(kargo, WebhookSources.Kargo);
        }

        return NonEmptyString(Property(root, "ref")) is { } generic ? new WebhookPayload(generic, WebhookSources.Generic) : null;
    }

    private static GitHubPush? ParsePushCore(ReadOnlyMemory<byte> body)
    {
        using var document = TryParseObject(body);
        if (document is null || NonEmptyString(Property(document.RootElement, "ref")) is not { } pushedRef)
        {
            return null;
        }

        var after = NonEmptyString(Property(document.RootElement, "after"));
        var deleted = Property(document.RootElement, "deleted") is { ValueKind: JsonValueKind.True } || (after is not null && Zeros.Contains(after));
        return new GitHubPush(pushedRef, deleted ? null : after, deleted);
    }

    private static JsonDocument? TryParseObject(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) ? value : null;

    private static string? NonEmptyString(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 } text ? text : null;
}
