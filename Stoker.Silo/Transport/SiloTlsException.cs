namespace Stoker.Silo.Transport;

/// <summary>The silo's TLS material is unusable; the message names the setting or file, the path and the problem.</summary>
public sealed class SiloTlsException : Exception
{
    public SiloTlsException()
    {
    }

    public SiloTlsException(string message)
        : base(message)
    {
    }

    public SiloTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
