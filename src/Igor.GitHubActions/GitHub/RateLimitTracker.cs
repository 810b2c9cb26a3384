using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Operations;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// GitHub's rate limit per installation, read from every response's headers. Credentials are known here only by a
/// fingerprint (a hash prefix), registered by the client that mints them, so no token is ever kept or logged.
/// </summary>
internal sealed class RateLimitTracker(IOptions<GitHubOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string Master, string Installation)> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Master, string Installation), (int Remaining, int Limit, DateTimeOffset Reset)> _limits = new();

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
        return _limits.Any(l => l.Key.Master == master && l.Value.Reset > now &&
                                l.Value.Remaining < Math.Max(options.Value.RateLimitReserve, l.Value.Limit / 10));
    }

    /// <summary>When the installation's limit is used up, the time GitHub resets it; null while requests may go.</summary>
    public DateTimeOffset? ExhaustedUntil(string master, string installation) =>
        _limits.TryGetValue((master, installation), out var value) && value.Remaining <= 0 && value.Reset > time.GetUtcNow() ? value.Reset : null;

    public int? Remaining(string master, string installation) =>
        _limits.TryGetValue((master, installation), out var value) ? value.Remaining : null;

    private static string Fingerprint(string credential) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)))[..16];
}
