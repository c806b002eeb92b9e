namespace Stoker.Tests.FakeKubeApi;

/// <summary>Where an object lives: its resource, namespace (empty for cluster-scoped) and name.</summary>
public readonly record struct ObjectKey(ResourceType Resource, string Namespace, string Name);
