namespace Stoker.Silo.Api.Patching;

/// <summary>A patch that cannot be applied to the object (a failed test, a missing path, a bad directive): a 4xx, never a 500.</summary>
public sealed class PatchException : Exception
{
    public PatchException(string message, int statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public PatchException(string message)
        : this(message, 422)
    {
    }

    public PatchException()
        : this("the patch cannot be applied")
    {
    }

    public PatchException(string message, Exception inner)
        : base(message, inner)
    {
        StatusCode = 422;
    }

    /// <summary>400 for a malformed patch document, 422 for one that does not fit the object (as the API server answers).</summary>
    public int StatusCode { get; }
}
