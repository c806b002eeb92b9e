namespace Stoker.Silo.Admission;

/// <summary>The webhook's certificate or key cannot be read; the message names the setting and the file.</summary>
public sealed class AdmissionCertificateException : Exception
{
    public AdmissionCertificateException()
    {
    }

    public AdmissionCertificateException(string message)
        : base(message)
    {
    }

    public AdmissionCertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
