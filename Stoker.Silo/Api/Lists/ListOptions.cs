using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Api.Lists;

/// <summary>
/// The query of a list or watch, read as the API server reads it. <c>limit</c> and <c>continue</c> are accepted and
/// ignored (a list is answered whole: a few thousand resources at most); errors name the parameter and value.
/// </summary>
public sealed record ListOptions(
    LabelSelector Labels,
    FieldSelector Fields,
    bool Watch,
    string? ResourceVersion,
    TimeSpan? Timeout,
    bool AllowWatchBookmarks)
{
    public static ListOptions? From(IQueryCollection query, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        var labels = LabelSelector.Parse(query["labelSelector"].ToString(), out error);
        if (labels is null)
        {
            return null;
        }

        var fields = FieldSelector.Parse(query["fieldSelector"].ToString(), out error);
        if (fields is null)
        {
            return null;
        }

        if (!Flag(query, "watch", out var watch, out error) || !Flag(query, "allowWatchBookmarks", out var bookmarks, out error))
        {
            return null;
        }

        TimeSpan? timeout = null;
        if (query["timeoutSeconds"].ToString() is { Length: > 0 } seconds)
        {
            if (!long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > int.MaxValue)
            {
                error = $"timeoutSeconds: Invalid value: \"{seconds}\": must be a non-negative integer";
                return null;
            }

            timeout = value == 0 ? null : TimeSpan.FromSeconds(value);
        }

        if (query["limit"].ToString() is { Length: > 0 } limit && !long.TryParse(limit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            error = $"limit: Invalid value: \"{limit}\": must be an integer";
            return null;
        }

        var resourceVersion = query["resourceVersion"].ToString();
        if (resourceVersion.Length > 0 && !ulong.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            error = $"resourceVersion: Invalid value: \"{resourceVersion}\": must be a resourceVersion this server gave out (a decimal number)";
            return null;
        }

        return new ListOptions(labels, fields, watch, resourceVersion.Length > 0 ? resourceVersion : null, timeout, bookmarks);
    }

    private static bool Flag(IQueryCollection query, string name, out bool value, out string? error)
    {
        error = null;
        value = false;
        if (!query.TryGetValue(name, out var raw))
        {
            return true;
        }

        switch (raw.ToString())
        {
            case "" or "true" or "1" or "True":
                value = true;
                return true;
            case "false" or "0" or "False":
                return true;
            default:
                error = $"{name}: Invalid value: \"{raw}\": must be true or false";
                return false;
        }
    }
}
