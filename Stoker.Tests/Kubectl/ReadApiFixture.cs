namespace Stoker.Tests.Kubectl;

/// <summary>The same resources on a silo with its default authentication (tokens; at most two watches), for HTTP-level tests.</summary>
public sealed class ReadApiFixture() : ReadKubectlFixture(open: false);
