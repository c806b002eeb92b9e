namespace Stoker.Silo.Persistence;

/// <summary>One numbered schema script, e.g. <c>Schema/0001_orleans_tables.sql</c>.</summary>
internal sealed record PostgresSchemaStep(int Version, string Name, string Text);
