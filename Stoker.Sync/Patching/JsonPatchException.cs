namespace Stoker.Sync.Patching;

// A patch could not be applied to a file. The message already names the file, the path (when there is
// one) and what is wrong, e.g. `config.json: file is not valid JSON (line 3, column 5): ...`.
public sealed class JsonPatchException : Exception
{
    public JsonPatchException(string message, string fileName, string? path, Exception? innerException = null)
        : base(message, innerException)
    {
        FileName = fileName;
        Path = path;
    }

    public string FileName { get; }

    public string? Path { get; }
}
