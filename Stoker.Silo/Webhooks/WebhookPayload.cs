namespace Stoker.Silo.Webhooks;

/// <summary>The ref a payload asks for and who sent it (a <see cref="WebhookSources"/> value).</summary>
public sealed record WebhookPayload(string Ref, string Source)
{
    /// <summary>Where in the body the ref was found, for error answers (the probes of <see cref="WebhookPayloadParser.Parse"/>).</summary>
    public string Field => Source switch
    {
        WebhookSources.GitHub => "release.tag_name",
        WebhookSources.ArgoCd => "app.metadata.annotations[\"git.ref\"]",
        WebhookSources.Kargo => "freight.commits[0].tag",
        _ => "ref",
    };
}
