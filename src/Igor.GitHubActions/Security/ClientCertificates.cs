using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>
/// Mutual TLS: Kestrel asks every HTTPS client for a certificate (and refuses the handshake for an invalid one), and
/// the middleware refuses Igor API requests that came without one. Certificates are optional at the TLS level so that
/// GitHub's webhook deliveries, which carry none, still reach <c>/webhooks/github</c>.
/// </summary>
internal sealed partial class ClientCertificates(IOptions<SecurityOptions> options, ILogger<ClientCertificates> logger) : IMiddleware
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

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!options.Value.ClientCertificates.Required || BearerTokenMiddleware.IsExempt(context.Request.Path) || context.Connection.ClientCertificate is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        Log.Refused(logger, context.Request.Method, context.Request.Path);
        await Igor.IgorErrors.WriteAsync(context, StatusCodes.Status401Unauthorized,
            "this service requires a TLS client certificate (Security:ClientCertificates)").ConfigureAwait(false);
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

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} refused: no client certificate")]
        public static partial void Refused(ILogger logger, string method, PathString path);
    }
}
