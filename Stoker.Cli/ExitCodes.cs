namespace Stoker.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The request failed: the server refused it or could not be reached, or a manifest could not be read.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown command, option or resource type, a missing argument).</summary>
    public const int Usage = 2;
}
