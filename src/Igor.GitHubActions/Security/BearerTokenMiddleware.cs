using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>
/// With <c>Security:BearerTokens</c> set, the Igor API answers only requests carrying one of them. The GitHub webhook
/// (its signature), <c>/health</c>, <c>/metrics</c>, Echo's event forwarding (its own shared secret) and validly signed
/// log page links (reached through Gate's proxy, which sends no token) are exempt. The custom stages are not: they act
/// on GitHub, and Orca's webhook stages can send the token with their <c>customHeaders</c>.
/// </summary>
internal sealed partial class BearerTokenMiddleware(IOptions<SecurityOptions> options, Logs.LogLinks links, ILogger<BearerTokenMiddleware> logger) : IMiddleware
{
    private static readonly string[] ExemptPaths = ["/webhooks/github", "/health", "/metrics", "/echo/events"];

    private readonly byte[][] _tokens = options.Value.BearerTokens.Select(Hash).ToArray();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_tokens.Length == 0 || IsExempt(context.Request.Path) || links.IsSignedPath(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!Matches(context.Request.Headers.Authorization.ToString()))
        {
            Log.Refused(logger, context.Request.Method, context.Request.Path);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Igor.IgorErrors.WriteAsync(context, StatusCodes.Status401Unauthorized,
                "this service requires Authorization: Bearer with one of its tokens (Security:BearerTokens)").ConfigureAwait(false);
            return;
        }

        // Ours, not the existing Igor's: never forwarded by the pass-through.
        context.Request.Headers.Authorization = default;
        await next(context).ConfigureAwait(false);
    }

    internal static bool IsExempt(PathString path) => ExemptPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    private bool Matches(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashing first makes every comparison the same length; every token is compared, so timing says nothing.
        var given = Hash(header[7..].Trim());
        var match = false;
        foreach (var token in _tokens)
        {
            match |= CryptographicOperations.FixedTimeEquals(given, token);
        }

        return match;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} refused: missing or unknown bearer token")]
        public static partial void Refused(ILogger logger, string method, PathString path);
    }
}
