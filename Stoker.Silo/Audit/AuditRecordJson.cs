using System.Globalization;
using System.Text;
using System.Text.Json;
using Stoker.Grains.Audit;
using Stoker.Grains.Git;

namespace Stoker.Silo.Audit;

/// <summary>
/// Writes an <see cref="AuditRecord"/> as one line of JSON in the shape of a Kubernetes <c>audit.k8s.io/v1</c> Event at
/// level <c>Metadata</c>, so tools that read the API server's audit log read this one too.
/// </summary>
public static class AuditRecordJson
{
    /// <summary>Longest string kept from the request (user agent, path, names); longer ones are cut and marked.</summary>
    public const int MaxStringLength = 512;

    /// <summary>Most groups kept per record.</summary>
    public const int MaxGroups = 32;

    public static string Format(AuditRecord record, string auditId)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", "Event");
            json.WriteString("apiVersion", "audit.k8s.io/v1");
            json.WriteString("level", "Metadata");
            json.WriteString("auditID", auditId);
            json.WriteString("stage", "ResponseComplete");
            Optional(json, "requestURI", record.RequestUri);
            json.WriteString("verb", Bound(record.Verb));
            json.WriteStartObject("user");
            json.WriteString("username", Bound(record.User));
            json.WriteStartArray("groups");
            foreach (var group in record.Groups.Take(MaxGroups))
            {
                json.WriteStringValue(Bound(group));
            }

            json.WriteEndArray();
            json.WriteEndObject();
            if (record.SourceAddress is { } source)
            {
                json.WriteStartArray("sourceIPs");
                json.WriteStringValue(Bound(source));
                json.WriteEndArray();
            }

            Optional(json, "userAgent", record.UserAgent);
            if (record.Resource is not null)
            {
                json.WriteStartObject("objectRef");
                json.WriteString("resource", Bound(record.Resource));
                Optional(json, "namespace", record.Namespace);
                Optional(json, "name", record.Name);
                Optional(json, "subresource", record.Subresource);
                json.WriteString("apiGroup", record.ApiGroup ?? "");
                json.WriteString("apiVersion", record.ApiGroup is { Length: > 0 } ? "v1alpha1" : "v1");
                json.WriteEndObject();
            }

            if (record.Code is { } code)
            {
                json.WriteStartObject("responseStatus");
                json.WriteNumber("code", code);
                json.WriteEndObject();
            }

            json.WriteString("requestReceivedTimestamp", Timestamp(record.Received));
            json.WriteString("stageTimestamp", Timestamp(record.Completed));
            if (record.Annotations.Count > 0)
            {
                json.WriteStartObject("annotations");
                foreach (var (key, value) in record.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, Bound(value));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, Bound(value));
        }
    }

    // URLs with user-info can only reach a record through a caller's text (a path, a user agent, an error): hide them
    // there too, so the audit log is never where a credential ends up.
    private static string Bound(string value)
    {
        var redacted = UrlRedactor.Redact(value);
        if (redacted.Length <= MaxStringLength)
        {
            return redacted;
        }

        // Cut before a surrogate pair's second half so the line stays valid UTF-8.
        var cut = char.IsHighSurrogate(redacted[MaxStringLength - 1]) ? MaxStringLength - 1 : MaxStringLength;
        return string.Concat(redacted.AsSpan(0, cut), "…");
    }

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
