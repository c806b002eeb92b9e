namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// A webhook the fake calls with an AdmissionReview v1 before it stores a create or update of
/// <see cref="Resource"/> (not its subresources), as a Mutating-/ValidatingWebhookConfiguration would make a real
/// API server do. Mutating webhooks run first and their JSONPatch is applied; a denial becomes the API
/// server's error (<c>admission webhook "NAME" denied the request: MESSAGE</c>, code 400 unless the webhook gave
/// one of 400 or more).
/// </summary>
/// <param name="Name">The webhook's name as it appears in errors.</param>
/// <param name="Mutating">Whether the response's patch is applied.</param>
/// <param name="Resource">The resource it is registered for.</param>
/// <param name="Url">Where to POST the review (https with a certificate <paramref name="Handler"/> trusts, or plain http in tests).</param>
/// <param name="Operations">CREATE and/or UPDATE.</param>
/// <param name="FailurePolicyIgnore">When true, a webhook that cannot be reached or answers badly is skipped; otherwise the write fails (failurePolicy Fail).</param>
/// <param name="Handler">HTTP handler for the call (e.g. one that trusts the webhook's CA); null: the default.</param>
public sealed record AdmissionWebhook(
    string Name,
    bool Mutating,
    ResourceType Resource,
    Uri Url,
    IReadOnlyList<string> Operations,
    bool FailurePolicyIgnore = false,
    HttpMessageHandler? Handler = null);
