using System.Security.Cryptography;
using System.Text;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Security;

/// <summary>
/// The door of a route group that a Spinnaker service calls with a shared secret in a header (Orca's webhook stages,
/// Echo's REST forwarding): off (403, naming the key) until the secret is configured, then 401 without the right header,
/// compared in constant time.
/// </summary>
internal static class SharedSecret
{
    /// <summary>Null when the request may pass; else the refusal to answer, written in Igor's error shape.</summary>
    public static JsonHttpResult<Contracts.ErrorResponse>? Check(HttpContext context, string? secret, string header, string key, string routes)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return Refusal(StatusCodes.Status403Forbidden,
                $"{routes} are off until {key} is set (at least 32 characters); then every call must send it in the {header} header");
        }

        var given = context.Request.Headers[header];
        if (given.Count != 1 || !Matches(given[0] ?? "", secret))
        {
            return Refusal(StatusCodes.Status401Unauthorized, $"the {header} header is missing or wrong ({key})");
        }

        return null;
    }

    /// <summary>Hashing first makes both sides the same length, so the comparison's time says nothing about the secret.</summary>
    public static bool Matches(string given, string secret) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static JsonHttpResult<Contracts.ErrorResponse> Refusal(int status, string message) => Igor.Http.IgorErrors.Result(status, message);
}
