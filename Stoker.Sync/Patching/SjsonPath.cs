namespace Stoker.Sync.Patching;

// Splits an sjson path into keys (sjson's parsePath): '.' separates keys, '\' makes the next character
// literal (`a\.b` is the key "a.b", `\:1` the key ":1", `\\` a backslash), and a leading ':' on a key
// forces a numeric key to be an object key. A key with an unescaped '|', '#', '@', '*' or '?' makes the
// whole path a gjson query, which sjson only uses to replace values that already exist.
internal static class SjsonPath
{
    // Returns null when the path is a query. Throws PathException for paths sjson would accept but that
    // cannot be what the author meant (empty path, empty key, trailing lone '\'); sjson silently turns
    // those into "" keys or drops the backslash.
    public static List<SjsonSegment>? Parse(string path)
    {
        if (path.Length == 0)
        {
            throw new SjsonPathException("path cannot be empty");
        }

        var segments = new List<SjsonSegment>();
        var i = 0;
        while (true)
        {
            var forced = i < path.Length && path[i] == ':';
            if (forced)
            {
                i++;
            }

            var key = new System.Text.StringBuilder();
            var ended = false;
            for (; i < path.Length; i++)
            {
                var c = path[i];
                if (c == '.')
                {
                    ended = true;
                    i++;
                    break;
                }

                if (c is '|' or '#' or '@' or '*' or '?')
                {
                    return null;
                }

                if (c == '\\')
                {
                    if (++i >= path.Length)
                    {
                        throw new SjsonPathException("a trailing '\\' escapes nothing (write '\\\\' for a backslash in a key)");
                    }

                    c = path[i];
                }

                key.Append(c);
            }

            if (key.Length == 0)
            {
                throw new SjsonPathException(
                    $"key {segments.Count + 1} is empty (keys are separated by '.'; write '\\.' for a dot inside a key)");
            }

            segments.Add(new SjsonSegment(key.ToString(), forced));
            if (!ended)
            {
                return segments;
            }
        }
    }
}
