using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Igor.GitHubActions.Security;

/// <summary>
/// Mutual TLS: Kestrel asks every HTTPS client for a certificate (and refuses the handshake for an invalid one), and
/// <see cref="CallerAuthenticationHandler"/> refuses requests that came without one where an endpoint needs a caller.
/// Certificates are optional at the TLS level so that GitHub's webhook deliveries, which carry none, still reach
/// <c>/webhooks/github</c>.
/// </summary>
internal static class ClientCertificates
{
    public static void ConfigureKestrel(KestrelServerOptions kestrel, ClientCertificateOptions options)
    {
        if (!options.Required)
        {
            return;
        }

        var authorities = options.TrustedCaPath is { Length: > 0 } path ? LoadAuthorities(path) : null;
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            if (authorities is not null)
            {
                https.ClientCertificateValidation = (certificate, _, _) => IsIssuedBy(certificate, authorities);
            }
        });
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities.Count > 0
            ? authorities
            : throw new InvalidOperationException($"Security:ClientCertificates:TrustedCaPath: no certificate in {path}");
    }

    /// <summary>The certificate chains to one of the authorities and may be used for client authentication.</summary>
    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usages is not null && !usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(u => u.Value == "1.3.6.1.5.5.7.3.2"))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
