using Stoker.Grains.Interfaces.Messages;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// Reads the agent's identity token (<c>AGENT_TOKEN_FILE</c>) for one registration. The kubelet replaces a projected
/// token before it expires, so it is read again for every registration and kept nowhere else. Errors name the
/// setting and the path, never the content.
/// </summary>
public static class AgentTokenFile
{
    public const string Variable = "AGENT_TOKEN_FILE";

    /// <exception cref="AgentTokenException">The file is missing, unreadable, empty or too large.</exception>
    public static AgentIdentityToken Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > AgentIdentityToken.MaxLength)
            {
                throw new AgentTokenException($"{Variable}: \"{path}\": the file is {length} bytes, more than a token's {AgentIdentityToken.MaxLength}");
            }

            text = File.ReadAllText(path).Trim();
        }
        catch (FileNotFoundException)
        {
            throw new AgentTokenException($"{Variable}: \"{path}\": the file does not exist (in Kubernetes the kubelet mounts it: volume stoker-agent-token)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentTokenException($"{Variable}: \"{path}\": cannot read the token: {e.Message}");
        }

        return text.Length == 0
            ? throw new AgentTokenException($"{Variable}: \"{path}\": the file is empty")
            : new AgentIdentityToken(text);
    }
}
