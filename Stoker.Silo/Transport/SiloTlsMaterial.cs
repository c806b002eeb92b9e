using System.Security.Cryptography.X509Certificates;

namespace Stoker.Silo.Transport;

/// <summary>What the silo presents on its Orleans ports and the CA it trusts for peers.</summary>
/// <param name="Certificate">The silo's certificate with its private key.</param>
/// <param name="CaCertificates">The CA certificates a peer's chain must end at.</param>
/// <param name="CaFile">The PEM file agents are given (<c>SILO_CA_FILE</c>).</param>
/// <param name="Generated">Whether the CA is the state folder's own (local mode) rather than given files.</param>
public sealed record SiloTlsMaterial(X509Certificate2 Certificate, X509Certificate2Collection CaCertificates, string CaFile, bool Generated);
