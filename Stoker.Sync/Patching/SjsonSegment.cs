namespace Stoker.Sync.Patching;

// One key of an sjson path, unescaped. `Forced` is a leading ':' that makes a numeric key an object key.
internal sealed record SjsonSegment(string Key, bool Forced)
{
    // sjson's numeric test (atoui): a key of digits only, not forced, indexes an array.
    public bool TryGetIndex(out long index) => !Forced & TryParseDigits(Key, out index);

    public bool IsAppend => !Forced && Key == "-1";

    // gjson's array lookup ignores the ':' prefix: digits alone pick an existing element.
    public static bool TryParseDigits(string text, out long value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            // Saturate instead of wrapping: such an index is refused later as too large.
            value = value > (long.MaxValue - 9) / 10 ? long.MaxValue : (value * 10) + (c - '0');
        }

        return true;
    }
}
