using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// What the API server does to a Secret on every write: <c>stringData</c> is folded into <c>data</c> (base64 of its
/// UTF-8 bytes; a key in both takes the stringData value) and dropped, <c>data</c> values must be base64, keys must be
/// valid, and all the data together may hold at most 1 MiB.
/// </summary>
public static partial class SecretData
{
    /// <summary>The API server's limit on a Secret's data (<c>corev1.MaxSecretSize</c>).</summary>
    public const int MaxBytes = 1024 * 1024;

    public static void Normalize(JsonObject secret, string name)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var data = secret["data"] switch
        {
            null => new JsonObject(),
            JsonObject existing => existing,
            _ => throw new KubeApiException("Secret in version \"v1\" cannot be handled as a Secret: data: expected an object"),
        };
        var total = 0L;
        foreach (var (key, value) in data.ToList())
        {
            CheckKey(key, name, "data");
            try
            {
                total += Convert.FromBase64String(value?.GetValue<string>() ?? string.Empty).Length;
            }
            catch (FormatException)
            {
                throw new KubeApiException($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data.{key}");
            }
        }

        if (secret["stringData"] is JsonObject text)
        {
            foreach (var (key, value) in text.ToList())
            {
                CheckKey(key, name, "stringData");
                var bytes = Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty);
                if (data[key]?.GetValue<string>() is { } replaced)
                {
                    total -= Convert.FromBase64String(replaced).Length;
                }

                total += bytes.Length;
                data[key] = Convert.ToBase64String(bytes);
            }
        }
        else if (secret["stringData"] is not null)
        {
            throw new KubeApiException("Secret in version \"v1\" cannot be handled as a Secret: stringData: expected an object");
        }

        secret.Remove("stringData");
        if (data.Count > 0)
        {
            secret["data"] = data;
        }
        else
        {
            secret.Remove("data");
        }

        if (total > MaxBytes)
        {
            throw KubeApiException.Invalid(ResourceCatalog.Secrets, name, $"data: Too long: must have at most {MaxBytes} bytes");
        }
    }

    private static void CheckKey(string key, string name, string field)
    {
        if (key.Length > 253 || !KeyPattern().IsMatch(key))
        {
            throw KubeApiException.Invalid(ResourceCatalog.Secrets, name, $"{field}[{key}]: Invalid value: \"{key}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
        }
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex KeyPattern();
}
