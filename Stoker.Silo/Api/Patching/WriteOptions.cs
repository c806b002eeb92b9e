using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Api.Patching;

/// <summary>The query parameters of a write, as the API server reads them: dryRun, fieldManager, fieldValidation, force.</summary>
public sealed record WriteOptions(bool DryRun, string Manager, FieldValidation Validation, bool Force)
{
    public const string DryRunAll = "All";

    /// <summary>The API server's bound on a field manager's name.</summary>
    public const int MaxManagerLength = 128;

    /// <summary>Reads the options; the Status names the bad parameter and the values it takes.</summary>
    /// <param name="request">The request.</param>
    /// <param name="isApply">A server-side apply: fieldManager is required, force allowed.</param>
    public static (WriteOptions? Options, ApiStatus? Error) Read(HttpRequest request, bool isApply)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var dryRun = false;
        foreach (var value in query["dryRun"])
        {
            if (value != DryRunAll)
            {
                return Refuse($"dryRun: Unsupported value: \"{value}\": supported values: \"{DryRunAll}\"");
            }

            dryRun = true;
        }

        var validation = FieldValidation.Default;
        if (query.TryGetValue("fieldValidation", out var fv) && fv.ToString() is { Length: > 0 } mode)
        {
            if (!Enum.TryParse<FieldValidation>(mode, ignoreCase: false, out validation) || validation == FieldValidation.Default)
            {
                return Refuse($"fieldValidation: Unsupported value: \"{mode}\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
            }
        }

        var force = false;
        if (query.TryGetValue("force", out var f) && f.ToString() is { Length: > 0 } forceText)
        {
            if (!bool.TryParse(forceText, out force))
            {
                return Refuse($"force: Invalid value: \"{forceText}\": must be true or false");
            }

            if (force && !isApply)
            {
                return Refuse("force: Forbidden: may not be specified for non-apply patch");
            }
        }

        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            if (isApply)
            {
                return Refuse("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            }

            manager = FromUserAgent(request.Headers.UserAgent.ToString());
        }

        if (manager.Length > MaxManagerLength || manager.Any(char.IsControl))
        {
            return Refuse($"fieldManager: Invalid value: \"{Shorten(manager)}\": must be at most {MaxManagerLength.ToString(CultureInfo.InvariantCulture)} printable characters");
        }

        return (new WriteOptions(dryRun, manager, validation, force), null);
    }

    /// <summary>The API server's default manager: the User-Agent up to its first <c>/</c> (<c>kubectl/v1.32.0 …</c> → <c>kubectl</c>).</summary>
    public static string FromUserAgent(string? userAgent)
    {
        var prefix = (userAgent ?? "").Split('/')[0].Trim();
        prefix = new string(prefix.Where(c => !char.IsControl(c)).ToArray());
        return prefix.Length == 0 ? "unknown" : prefix.Length > MaxManagerLength ? prefix[..MaxManagerLength] : prefix;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text.Replace("\"", "\\\"", StringComparison.Ordinal) : text[..61].Replace("\"", "\\\"", StringComparison.Ordinal) + "...";

    private static (WriteOptions?, ApiStatus?) Refuse(string message) => (null, ApiStatuses.BadRequest(message));
}
