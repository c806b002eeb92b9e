namespace Stoker.Silo.Webhooks;

/// <summary>
/// The secrets one request is checked against: the global ones, or a resource's own (annotation
/// <c>stoker.io/webhook-secret</c>). Either configured secret suffices; HMAC is tried first.
/// </summary>
public sealed record WebhookCredentials(string? HmacSecret, string? BearerToken)
{
    public static readonly WebhookCredentials None = new(null, null);

    public bool IsConfigured => !string.IsNullOrEmpty(HmacSecret) || !string.IsNullOrEmpty(BearerToken);

    public bool Authorize(ReadOnlySpan<byte> body, string? signatureHeader, string? authorizationHeader) =>
        WebhookSignature.IsValidHmac(body, signatureHeader, HmacSecret) || WebhookSignature.IsValidBearer(authorizationHeader, BearerToken);

    // Never print the secrets.
    public override string ToString() => $"WebhookCredentials {{ Hmac = {!string.IsNullOrEmpty(HmacSecret)}, Bearer = {!string.IsNullOrEmpty(BearerToken)} }}";
}
