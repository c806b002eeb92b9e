namespace Stoker.Silo.Persistence;

/// <summary>
/// The PostgreSQL schema could not be prepared at silo start. The message names the server,
/// the database and the setting to fix, never the password.
/// </summary>
public sealed class PostgresSchemaMigrationException : Exception
{
    public PostgresSchemaMigrationException()
    {
    }

    public PostgresSchemaMigrationException(string message)
        : base(message)
    {
    }

    public PostgresSchemaMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
