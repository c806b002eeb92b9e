namespace Stoker.Demo.Plan;

/// <summary>
/// One program the demo runs: which program, its arguments and its environment. The native demo starts it as a
/// process; docker-compose.yml runs the same program as a service's entrypoint with these as its <c>command</c> and
/// <c>environment</c> (a test holds the two together).
/// </summary>
public sealed record ServiceSpec(string Name, string Program, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment);
