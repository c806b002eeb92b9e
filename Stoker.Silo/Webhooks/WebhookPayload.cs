namespace Stoker.Silo.Webhooks;

/// <summary>The ref a payload asks for and who sent it (a <see cref="WebhookSources"/> value).</summary>
public sealed record WebhookPayload(string Ref, string Source);
