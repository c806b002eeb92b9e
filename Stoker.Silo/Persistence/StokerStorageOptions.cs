namespace Stoker.Silo.Persistence;

/// <summary>
/// Where the control plane keeps grain state, reminders and cluster membership.
/// Bound from the <see cref="SectionName"/> configuration section
/// (environment: <c>Stoker__Storage__ConnectionString</c>).
/// </summary>
public sealed class StokerStorageOptions
{
    public const string SectionName = "Stoker:Storage";

    /// <summary>The full name of <see cref="ConnectionString"/> as users set it, for error messages.</summary>
    public const string ConnectionStringSetting = SectionName + ":" + nameof(ConnectionString);

    /// <summary>
    /// An Npgsql connection string (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>).
    /// <see langword="null"/> keeps everything in memory, which is meant for development and tests:
    /// state and reminders are lost when the silo stops.
    /// </summary>
    public string? ConnectionString { get; set; }

    public bool UsesPostgres => ConnectionString is not null;
}
