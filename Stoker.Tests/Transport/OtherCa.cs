using Stoker.Silo.Transport;

namespace Stoker.Tests.Transport;

/// <summary>A CA other than the silo's, made the way a silo makes its own: what an agent given the wrong CA trusts.</summary>
internal static class OtherCa
{
    public static string Write(string folder)
    {
        using var ca = SiloCertificateAuthority.CreateCa(TimeProvider.System.GetUtcNow(), "elsewhere");
        Directory.CreateDirectory(folder);
        var path = Path.Join(folder, "other-ca.crt");
        File.WriteAllText(path, ca.ExportCertificatePem());
        return path;
    }
}
