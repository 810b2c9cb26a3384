using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>
/// Who may call the service at all: with <c>Security:ClientCertificates:Required</c> a TLS client certificate, with
/// <c>Security:BearerTokens</c> one of the tokens (compared in constant time). With neither, every caller is admitted.
/// Every endpoint needs an admitted caller unless it says <c>AllowAnonymous</c> (the GitHub webhook, its signature;
/// <c>/health</c>; <c>/metrics</c>; Echo's events, their own shared secret; signed log links, their signature). The
/// custom stages are not anonymous: they act on GitHub, and Orca's webhook stages send the token in <c>customHeaders</c>.
/// </summary>
internal sealed partial class CallerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory loggers, UrlEncoder encoder, CallerCredentials credentials)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    public const string SchemeName = "Caller";

    private const string NoCertificate = "this service requires a TLS client certificate (Security:ClientCertificates)";

    private const string NoToken = "this service requires Authorization: Bearer with one of its tokens (Security:BearerTokens)";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (credentials.CertificateRequired && Context.Connection.ClientCertificate is null)
        {
            return Task.FromResult(AuthenticateResult.Fail(NoCertificate));
        }

        if (credentials.TokensRequired)
        {
            if (!credentials.Matches(Request.Headers.Authorization.ToString()))
            {
                return Task.FromResult(AuthenticateResult.Fail(NoToken));
            }

            // Ours, not the existing Igor's: never forwarded by the pass-through.
            Request.Headers.Authorization = default;
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, credentials.TokensRequired ? "bearer" : "caller")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var message = result.Failure?.Message ?? NoToken;
        Log.Refused(Logger, Request.Method, Request.Path, message == NoCertificate ? "no client certificate" : "missing or unknown bearer token");
        if (message == NoToken)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
        }

        await Igor.Http.IgorErrors.WriteAsync(Context, StatusCodes.Status401Unauthorized, message).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string method, PathString path, string reason);
    }
}
