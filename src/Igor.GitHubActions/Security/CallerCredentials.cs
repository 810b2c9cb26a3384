using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>The configured caller credentials: the bearer tokens, hashed once, and whether a client certificate is required.</summary>
internal sealed class CallerCredentials(IOptions<SecurityOptions> options)
{
    private readonly byte[][] _tokens = options.Value.BearerTokens.Select(Hash).ToArray();

    public bool TokensRequired => _tokens.Length > 0;

    public bool CertificateRequired { get; } = options.Value.ClientCertificates.Required;

    public bool Matches(string header)
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
}
