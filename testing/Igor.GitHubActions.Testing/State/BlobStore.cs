using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Igor.GitHubActions.Testing.State;


/// <summary>Blob storage on the simulator's own host, reached through <c>/_blobs/{id}?exp=…&amp;sig=…</c>.</summary>
internal sealed class BlobStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, BlobEntry> _entries = new(StringComparer.Ordinal);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Put(BlobEntry entry)
    {
        lock (_sync)
        {
            _entries[entry.Id] = entry;
        }
    }

    public BlobEntry? Get(string id)
    {
        lock (_sync)
        {
            return _entries.GetValueOrDefault(id);
        }
    }

    /// <summary>A signed URL on <paramref name="webRoot"/> valid until <paramref name="expiresAt"/>.</summary>
    public string SignedUrl(string webRoot, string id, DateTimeOffset expiresAt)
    {
        var exp = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{webRoot}_blobs/{Uri.EscapeDataString(id)}?exp={exp}&sig={Sign(id, exp)}";
    }

    public bool Verify(string id, string? exp, string? sig) =>
        exp is not null && sig is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(id, exp)), Encoding.ASCII.GetBytes(sig));

    private string Sign(string id, string exp) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{id}|{exp}")));
}
