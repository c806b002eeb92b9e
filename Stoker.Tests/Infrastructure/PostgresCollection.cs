namespace Stoker.Tests.Infrastructure;

/// <summary>
/// Test classes marked <c>[Collection(PostgresCollection.Name)]</c> share one <see cref="PostgresServer"/>
/// (started once, stopped after the last of them); each creates its own database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
