namespace Stoker.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The request failed: the server refused it or could not be reached.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown command, option or resource type, a missing argument).</summary>
    public const int Usage = 2;

    /// <summary>
    /// A manifest could not be read: missing or unreadable, not YAML or JSON, or beyond a reading limit (size,
    /// nesting, alias expansion). The same code as a usage error: the input must change, retrying cannot help.
    /// </summary>
    public const int InvalidInput = 2;
}
