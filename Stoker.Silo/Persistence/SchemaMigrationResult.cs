namespace Stoker.Silo.Persistence;

/// <summary>What one run of <see cref="PostgresSchemaMigrator"/> found and changed.</summary>
/// <param name="SchemaVersion">The schema version of the database after the run.</param>
/// <param name="AppliedSteps">The schema steps this run applied (empty when the schema was current).</param>
/// <param name="QueriesChanged">How many provider queries this run inserted or replaced.</param>
public sealed record SchemaMigrationResult(int SchemaVersion, IReadOnlyList<int> AppliedSteps, int QueriesChanged);
