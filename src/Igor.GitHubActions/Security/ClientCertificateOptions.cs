using Igor.GitHubActions.Configuration;
namespace Igor.GitHubActions.Security;

/// <summary><c>Security:ClientCertificates</c>: mutual TLS on the Igor API.</summary>
internal sealed class ClientCertificateOptions
{
    /// <summary>
    /// When set, HTTPS endpoints ask for a client certificate and the Igor API answers only requests that presented a
    /// valid one; the exempt paths (webhook, health, metrics) still answer without, since GitHub cannot present one.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>A PEM file of the CA certificates that issue client certificates; without it, the machine's trust store decides.</summary>
    [ExistingFile(ErrorMessage = "Security:ClientCertificates:TrustedCaPath: the CA file does not exist")]
    public string? TrustedCaPath { get; set; }
}
