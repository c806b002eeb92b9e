namespace Stoker.Tests.FakeKubeApi;

/// <summary>A failure a test arranged: requests matching <see cref="Match"/> get <see cref="Code"/> until <see cref="Remaining"/> runs out.</summary>
public sealed class InjectedFailure
{
    public InjectedFailure(Func<RecordedRequest, bool> match, int code, int times)
    {
        Match = match;
        Code = code;
        Remaining = times;
    }

    public Func<RecordedRequest, bool> Match { get; }

    public int Code { get; }

    public int Remaining { get; set; }

    /// <summary>How many requests this failure answered.</summary>
    public int Hits { get; set; }
}
