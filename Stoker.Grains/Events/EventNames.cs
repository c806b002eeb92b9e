using System.Globalization;
using System.Security.Cryptography;

namespace Stoker.Grains.Events;

/// <summary>Names of Event objects, shared by Kubernetes mode's recorder and local mode's events grain.</summary>
public static class EventNames
{
    /// <summary>The longest Event name Kubernetes accepts (a DNS subdomain).</summary>
    public const int MaxLength = 253;

    /// <summary>Length of the suffix <see cref="New"/> appends: a dot and 16 hex digits.</summary>
    public const int SuffixLength = 17;

    /// <summary>
    /// The object's name and a random 64-bit suffix, as client-go names events (it uses the time in nanoseconds; random
    /// keeps two silos from ever picking the same name). A long object name is cut so the whole stays a valid name.
    /// </summary>
    public static string New(string objectName)
    {
        ArgumentNullException.ThrowIfNull(objectName);
        var suffix = "." + BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)).ToString("x16", CultureInfo.InvariantCulture);
        var prefix = objectName.Length > MaxLength - suffix.Length ? objectName[..(MaxLength - suffix.Length)].TrimEnd('.', '-') : objectName;
        return prefix + suffix;
    }

    /// <summary>The object name an Event name was made from (cut, if the object's name was long); null when it has no suffix.</summary>
    public static string? ObjectNamePrefix(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var dot = eventName.LastIndexOf('.');
        return dot > 0 && eventName.Length - dot == SuffixLength ? eventName[..dot] : null;
    }
}
