namespace Stoker.Silo.Security;

/// <summary>
/// Stamps calls made by this silo's hosted client (its own HTTP API, webhook receiver and dashboard) with the
/// <see cref="SiloCallProof"/> that <see cref="ClientCallFilter"/> asks of every call claiming a hosted client's id.
/// Calls whose source is a grain (grains call agents' observers) and calls to a client never carry it, so the proof
/// never reaches an agent.
/// </summary>
public sealed class SiloCallProofFilter(SiloCallProof proof) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Code that runs outside any grain (no source here) sends as the silo's hosted client: Orleans stamps that id
        // on the message after the filters.
        if (context.SourceId is { } source && !ClientCallFilter.IsHostedClientId(source) || context.TargetId.IsClient())
        {
            await context.Invoke();
            return;
        }

        // An async method: the entry set here is undone when it returns, so it never lingers in the caller's flow
        // (where a later call to an observer would otherwise carry it).
        RequestContext.Set(SiloCallProof.RequestContextKey, proof.For(context.TargetId));
        try
        {
            await context.Invoke();
        }
        finally
        {
            RequestContext.Remove(SiloCallProof.RequestContextKey);
        }
    }
}
