using System.Text.RegularExpressions;

namespace Stoker.Grains.Interfaces.Validation;

/// <summary>Kubernetes object-name rules.</summary>
public static partial class KubernetesNames
{
    /// <summary>RFC 1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters.</summary>
    public static bool IsDnsSubdomain(string name, out string rule)
    {
        rule = "must be a lowercase RFC 1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";
        return name.Length is > 0 and <= 253 && DnsSubdomain().IsMatch(name);
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();
}
