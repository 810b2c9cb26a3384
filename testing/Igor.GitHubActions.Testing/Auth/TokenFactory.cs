using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Igor.GitHubActions.Testing.Auth;

/// <summary>Mints opaque tokens shaped like GitHub's.</summary>
internal static class TokenFactory
{
    /// <summary>A stateless-format installation token: <c>ghs_</c>, about 520 characters, with dots.</summary>
    public static string InstallationToken(long appId, long installationId, DateTimeOffset expiresAt)
    {
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"sim-1\"}"));
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"iss\":\"github-simulator\",\"app_id\":{appId},\"installation_id\":{installationId},\"exp\":{expiresAt.ToUnixTimeSeconds()},\"nonce\":\"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}\"}}")));
        var prefix = $"ghs_{appId.ToString(CultureInfo.InvariantCulture)}_{header}.{payload}.";
        var signatureLength = Math.Max(86, 520 - prefix.Length);
        var signature = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(signatureLength))[..signatureLength];
        return prefix + signature;
    }

    /// <summary>A classic personal access token: <c>ghp_</c> + 36 alphanumerics.</summary>
    public static string PersonalAccessToken() =>
        "ghp_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36);
}
