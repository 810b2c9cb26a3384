using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Igor.GitHubActions.Configuration;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Logs;

/// <summary>
/// Links to the log page that carry the right to read one run's log. Gate's proxy forwards a logged-in user's request
/// anonymously (no <c>X-SPINNAKER-USER</c>, no bearer token), so the link is signed instead: an HMAC of master,
/// repository and run id under <c>Spinnaker:LogLinkKey</c> or, without it, a key derived from the masters'
/// credentials (the same on every replica that shares the configuration). Whoever was given the build's <c>url</c> by
/// Spinnaker, which checked their access, can open it; nobody can make a link to another run from it.
/// </summary>
internal sealed class LogLinks
{
    /// <summary>Characters of a signature: 128 bits of HMAC-SHA256, base64url.</summary>
    public const int SignatureLength = 22;

    private static readonly byte[] Salt = "igor-github-actions/log-links"u8.ToArray();

    private readonly byte[] _key;
    private readonly Uri? _root;

    public LogLinks(IOptions<SpinnakerOptions> spinnaker, IOptions<GitHubOptions> gitHub)
    {
        _root = spinnaker.Value.LogPageUrl;
        var material = spinnaker.Value.LogLinkKey is { Length: > 0 } configured
            ? configured
            : string.Join('\n', gitHub.Value.Masters.OrderBy(m => m.Name, StringComparer.Ordinal).Select(Credential));
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(material), 32, Salt, []);
    }

    /// <summary>The log page of a run, signed, or null when no <c>Spinnaker:LogPageUrl</c> is set.</summary>
    public string? PageUrl(string master, string owner, string repository, long runId) => _root is null
        ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"{_root.ToString().TrimEnd('/')}/logs/{Uri.EscapeDataString(master)}/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repository)}/{runId}/{Sign(master, owner, repository, runId)}/");

    public string Sign(string master, string owner, string repository, long runId)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{master}\n{owner.ToLowerInvariant()}\n{repository.ToLowerInvariant()}\n{runId}");
        return Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    /// <summary>Whether the signature is the one of this run's link (compared in constant time).</summary>
    public bool Verify(string master, string owner, string repository, string runId, string signature) =>
        signature.Length == SignatureLength &&
        long.TryParse(runId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(master, owner, repository, id)), Encoding.ASCII.GetBytes(signature));

    private static string Credential(MasterOptions master)
    {
        var key = master.PrivateKey;
        if (key is null && master.PrivateKeyPath is { Length: > 0 } path)
        {
            try
            {
                key = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Start-up validation reports an unreadable key; the links then rest on the other parts.
            }
        }

        return $"{master.Name}\n{master.AppId}\n{key}\n{master.Token}";
    }
}
