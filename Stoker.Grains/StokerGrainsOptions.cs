namespace Stoker.Grains;

/// <summary>Settings the grains need from their host.</summary>
public sealed class StokerGrainsOptions
{
    /// <summary>Local-mode Secrets folder (<c>{path}/{namespace}/{name}/{key}</c>); null skips Secret checks.</summary>
    public string? SecretsPath { get; set; }

    /// <summary>How long an agent subscription lives without renewal.</summary>
    public TimeSpan AgentSessionExpiry { get; set; } = TimeSpan.FromSeconds(60);
}
