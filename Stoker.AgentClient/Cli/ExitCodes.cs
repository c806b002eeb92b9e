namespace Stoker.AgentClient.Cli;

/// <summary>Exit codes of <c>stoker-agent</c> commands, for scripts and cron.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int SyncFailed = 1;
    public const int InvalidInput = 2;
}
