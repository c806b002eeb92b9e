using Polly;
using Polly.Retry;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The agent's one backoff policy: a wait that starts at <see cref="First"/> and doubles after every further
/// failure up to <see cref="Max"/>, without jitter (one agent per gateway, nothing to spread out). The three uses and
/// their documented numbers (docs/standalone-agent.md) are the presets below, so they are defined in one place.
/// </summary>
/// <remarks>
/// Retry loops the agent owns run on Polly (<see cref="RetryUntilTrue"/>), with this schedule as the retry strategy's
/// delay generator. The connection filter Orleans calls after each failed connect, and the failed-sync backoff
/// of the worker's loop, are not loops of their own: they ask <see cref="Delay"/> for the n-th wait of the same
/// schedule, which Polly does not expose.
/// </remarks>
public sealed class AgentBackoff
{
    public AgentBackoff(TimeSpan first, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        First = first;
        Max = max;
    }

    /// <summary>Connecting to the control plane (Orleans' connection retry filter): 2, 4, 8, 16, then 30 s.</summary>
    public static AgentBackoff ControlPlaneConnect { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

    /// <summary>Registering with the Gateway grain once connected (a refusal, a missing identity token): 1 s doubling to 30 s.</summary>
    public static AgentBackoff Registration { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>A failed fetch or sync of the same desired state: 30 s doubling, up to 5 minutes.</summary>
    public static AgentBackoff FailedSync { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));

    public TimeSpan First { get; }

    public TimeSpan Max { get; }

    /// <param name="failures">Failures in a row, including the one just counted; at least 1.</param>
    public TimeSpan Delay(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);

        // Doubling stops once past the cap, so a count of failures that runs for months cannot overflow.
        var delay = First;
        for (var i = 1; i < failures && delay < Max; i++)
        {
            delay *= 2;
        }

        return delay < Max ? delay : Max;
    }

    /// <summary>
    /// Runs an attempt until it returns <see langword="true"/>, waiting <see cref="Delay"/> on <paramref name="time"/>
    /// between attempts. Cancelling the token passed to the pipeline ends the wait with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="onRetry">Told of each failed attempt and the wait that follows, e.g. to say so.</param>
    public ResiliencePipeline<bool> RetryUntilTrue(TimeProvider time, Func<OnRetryArguments<bool>, ValueTask>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new ResiliencePipelineBuilder<bool> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = new PredicateBuilder<bool>().HandleResult(false),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = First,
                MaxDelay = Max,
                UseJitter = false,

                // Polly's AttemptNumber counts from 0 for the first retry, i.e. after one failure.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber + 1)),
                OnRetry = onRetry,
            })
            .Build();
    }
}
