namespace Stoker.Silo.Authentication;

/// <summary>One token the silo accepts, known only by its SHA-256.</summary>
/// <param name="Source">Where it came from, for messages: <c>FILE line N</c> or the admin token file.</param>
public sealed record ApiTokenEntry(byte[] Sha256, string Name, ApiRole Role, string Source);
