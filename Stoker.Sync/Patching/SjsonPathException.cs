namespace Stoker.Sync.Patching;

// A path that cannot be applied; JsonPatcher turns it into a JsonPatchException naming file and path.
internal sealed class SjsonPathException(string message) : Exception(message);
