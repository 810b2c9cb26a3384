using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Igor.GitHubActions.Setup;

/// <summary>
/// The setup page's state in memory: its token (who may use the page), the manifests sent to GitHub and not yet
/// answered (by their <c>state</c>, once each, for an hour: GitHub's code lives that long), and whether the
/// configuration was written.
/// </summary>
internal sealed class SetupState(string configFile, string token, TimeProvider time)
{
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, SetupRequest> _pending = new(StringComparer.Ordinal);
    private int _configured;

    public string ConfigFile { get; } = configFile;

    public bool Configured => Volatile.Read(ref _configured) == 1;

    public bool TokenMatches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate.Trim()), Encoding.UTF8.GetBytes(token));

    public string Begin(SetupRequest request)
    {
        foreach (var (key, old) in _pending)
        {
            if (time.GetUtcNow() - old.CreatedAt > PendingLifetime)
            {
                _pending.TryRemove(key, out _);
            }
        }

        var state = RandomNumberGenerator.GetHexString(32, lowercase: true);
        _pending[state] = request;
        return state;
    }

    /// <summary>The request GitHub's redirect answers; each state is taken once.</summary>
    public SetupRequest? Take(string? state) =>
        state is not null && _pending.TryRemove(state, out var request) && time.GetUtcNow() - request.CreatedAt <= PendingLifetime ? request : null;

    /// <summary>True for the one caller that may write the configuration.</summary>
    public bool TryComplete() => Interlocked.CompareExchange(ref _configured, 1, 0) == 0;

    public void Reopen() => Volatile.Write(ref _configured, 0);
}
