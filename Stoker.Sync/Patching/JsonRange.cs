namespace Stoker.Sync.Patching;

// A value's bytes inside a JSON text: [Start, Start + Length).
internal readonly record struct JsonRange(int Start, int Length)
{
    public int End => Start + Length;

    public JsonRange Offset(int by) => new(Start + by, Length);
}
