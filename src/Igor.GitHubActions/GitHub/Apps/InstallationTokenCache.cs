using System.Collections.Concurrent;

namespace Igor.GitHubActions.GitHub.Apps;

/// <summary>
/// Installation tokens per installation, renewed a margin before they expire. Concurrent callers that find
/// the token stale share one renewal instead of each minting a token.
/// </summary>
internal sealed class InstallationTokenCache(
    Func<long, CancellationToken, Task<InstallationToken>> mint,
    TimeProvider time,
    TimeSpan renewalMargin)
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    public async Task<string> GetTokenAsync(long installationId, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(installationId, static _ => new Entry());
        Task<InstallationToken> pending;
        lock (entry)
        {
            if (entry.Token is { } token && time.GetUtcNow() < token.ExpiresAt - renewalMargin)
            {
                return token.Token;
            }

            if (entry.Renewal is null || entry.Renewal.IsCompleted)
            {
                // Started outside the lock's caller so a synchronous completion cannot be left behind as "pending".
                entry.Renewal = Task.Run(() => RenewAsync(installationId, entry), CancellationToken.None);
            }

            pending = entry.Renewal;
        }

        var renewed = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        return renewed.Token;
    }

    /// <summary>Forgets a token GitHub refused (revoked, or the installation changed), so the next call mints one.</summary>
    public void Invalidate(long installationId)
    {
        if (_entries.TryGetValue(installationId, out var entry))
        {
            lock (entry)
            {
                entry.Token = null;
            }
        }
    }

    private async Task<InstallationToken> RenewAsync(long installationId, Entry entry)
    {
        // The renewal is shared, so no single caller's cancellation may cancel it.
        var token = await mint(installationId, CancellationToken.None).ConfigureAwait(false);
        lock (entry)
        {
            entry.Token = token;
        }

        return token;
    }

    private sealed class Entry
    {
        public InstallationToken? Token { get; set; }

        public Task<InstallationToken>? Renewal { get; set; }
    }
}
