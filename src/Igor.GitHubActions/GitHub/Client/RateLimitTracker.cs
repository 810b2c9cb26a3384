using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Operations;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// GitHub's rate limit per installation, read from every response's headers. Credentials are known here only by a
/// fingerprint (a hash prefix), registered by the client that mints them, so no token is ever kept or logged.
/// </summary>
internal sealed class RateLimitTracker(IOptions<GitHubOptions> options, TimeProvider time)
{
    /// <summary>How long an installation pauses after a secondary rate limit that names no <c>Retry-After</c> (GitHub: "at least one minute").</summary>
    public static readonly TimeSpan DefaultSecondaryPause = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (string Master, string Installation)> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Master, string Installation), (int Remaining, int Limit, DateTimeOffset Reset)> _limits = new();
    private readonly ConcurrentDictionary<(string Master, string Installation), DateTimeOffset> _pauses = new();
    private readonly ConcurrentDictionary<(string Master, string Installation), Turns> _turns = new();

    public void Register(string credential, string master, string installation) =>
        _credentials[Fingerprint(credential)] = (master, installation);

    public (string Master, string Installation) Identify(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return ("unknown", "unknown");
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var credential = space >= 0 ? authorization[(space + 1)..] : authorization;
        return _credentials.TryGetValue(Fingerprint(credential), out var owner) ? owner : ("unknown", "unknown");
    }

    public void Record(string master, string installation, int remaining, int limit, DateTimeOffset reset)
    {
        _limits[(master, installation)] = (remaining, limit, reset);
        IgorMetrics.RateLimitRemaining.WithLabels(master, installation).Set(remaining);
        IgorMetrics.RateLimitLimit.WithLabels(master, installation).Set(limit);
    }

    /// <summary>
    /// True when an installation of the master is down to its reserve until its reset: optional work (reconciliation,
    /// listing refreshes) then waits, so the reserve stays for builds.
    /// </summary>
    public bool IsLow(string master)
    {
        var now = time.GetUtcNow();
        return _pauses.Any(p => p.Key.Master == master && p.Value > now) || _limits.Any(l => l.Key.Master == master && l.Value.Reset > now &&
                                l.Value.Remaining < Math.Max(options.Value.RateLimitReserve, l.Value.Limit / 10));
    }

    /// <summary>When the installation's limit is used up, the time GitHub resets it; null while requests may go.</summary>
    public DateTimeOffset? ExhaustedUntil(string master, string installation) =>
        _limits.TryGetValue((master, installation), out var value) && value.Remaining <= 0 && value.Reset > time.GetUtcNow() ? value.Reset : null;

    /// <summary>
    /// After a secondary rate limit the whole installation waits: GitHub's <c>Retry-After</c>, or a minute without one.
    /// Returns the end of the pause (a later pause already running is kept).
    /// </summary>
    public DateTimeOffset Pause(string master, string installation, TimeSpan? retryAfter)
    {
        var until = time.GetUtcNow() + (retryAfter is { } wait && wait >= TimeSpan.Zero ? wait : DefaultSecondaryPause);
        return _pauses.AddOrUpdate((master, installation), until, (_, running) => running > until ? running : until);
    }

    /// <summary>While the installation is paused by a secondary rate limit, its end; null while requests may go.</summary>
    public DateTimeOffset? PausedUntil(string master, string installation) =>
        _pauses.TryGetValue((master, installation), out var until) && until > time.GetUtcNow() ? until : null;

    /// <summary>
    /// Waits until the installation's previous content-creating request started <see cref="GitHubOptions.ContentRequestSpacing"/>
    /// ago, one caller at a time, so dispatches, statuses and deployments of one installation never arrive in a burst.
    /// </summary>
    public async Task WaitForTurnAsync(string master, string installation, CancellationToken cancellationToken)
    {
        var spacing = options.Value.ContentRequestSpacing;
        if (spacing <= TimeSpan.Zero)
        {
            return;
        }

        var turns = _turns.GetOrAdd((master, installation), _ => new Turns());
        await turns.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wait = turns.Next - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            turns.Next = time.GetUtcNow() + spacing;
        }
        finally
        {
            turns.Gate.Release();
        }
    }

    public int? Remaining(string master, string installation) =>
        _limits.TryGetValue((master, installation), out var value) ? value.Remaining : null;

    private static string Fingerprint(string credential) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)))[..16];

    private sealed class Turns
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTimeOffset Next { get; set; }
    }
}
