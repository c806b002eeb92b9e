using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Silo.Webhooks;

/// <summary>The newest refused request of one GatewaySync, waiting for its window to open.</summary>
public sealed record PendingRefRequest(long Sequence, RefRequest Request, Func<RefRequest, Task<RefRequestOutcome>> Deliver);
