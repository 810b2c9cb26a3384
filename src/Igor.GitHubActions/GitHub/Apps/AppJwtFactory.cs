using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Igor.GitHubActions.GitHub.Apps;

/// <summary>
/// Signs the GitHub App JWT with the framework's RSA (RS256): iat 60 s in the past for clock drift, exp 10
/// minutes after iat, iss the App id or client id.
/// See https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
/// </summary>
internal sealed class AppJwtFactory : IDisposable
{
    private static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Reuse = TimeSpan.FromMinutes(5);

    private readonly string _issuer;
    private readonly RSA _key;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private (string Jwt, DateTimeOffset IssuedAt)? _current;

    public AppJwtFactory(string issuer, string privateKeyPem, TimeProvider time)
    {
        _issuer = issuer;
        _time = time;
        _key = RSA.Create();
        _key.ImportFromPem(privateKeyPem);
    }

    /// <summary>A JWT valid for at least five more minutes; one is reused for a few minutes to save signing.</summary>
    public string GetJwt()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_current is { } current && now - current.IssuedAt < Reuse)
            {
                return current.Jwt;
            }

            var jwt = Create(now);
            _current = (jwt, now);
            return jwt;
        }
    }

    public string Create(DateTimeOffset now)
    {
        var iat = now - Backdate;
        var exp = iat + Lifetime;
        var header = Encode("""{"alg":"RS256","typ":"JWT"}"""u8);
        var issuer = long.TryParse(_issuer, NumberStyles.None, CultureInfo.InvariantCulture, out var appId)
            ? appId.ToString(CultureInfo.InvariantCulture)
            : JsonSerializer.Serialize(_issuer);
        var payload = Encode(Encoding.UTF8.GetBytes(
            $$"""{"iat":{{iat.ToUnixTimeSeconds()}},"exp":{{exp.ToUnixTimeSeconds()}},"iss":{{issuer}}}"""));
        var signingInput = $"{header}.{payload}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Encode(signature)}";
    }

    public void Dispose() => _key.Dispose();

    private static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}
