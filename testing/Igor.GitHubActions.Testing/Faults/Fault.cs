using System.Text.RegularExpressions;

namespace Igor.GitHubActions.Testing;

/// <summary>A fault applied to the next <see cref="Times"/> requests matching <see cref="Method"/> and the path.</summary>
/// <remarks>The path is matched against the API path (without an <c>/api/v3</c> prefix) and the path as received:
/// <see cref="PathPrefix"/> matches that path and everything below it (segment-wise) unless <see cref="ExactPath"/>;
/// <see cref="PathPattern"/> is a regular expression. With neither, every path matches.
/// The fault first waits <see cref="Delay"/> (real time, cancelled when the client goes away), then aborts the connection
/// when <see cref="Abort"/>, else answers <see cref="StatusCode"/> with <see cref="Headers"/> and <see cref="Body"/>,
/// else (no status code) lets the request through to the simulator.
/// With <see cref="AfterHandler"/> the request is first carried out (the run, deployment or status is created), then its
/// answer is replaced: GitHub did it, and the client never learns so (a 502, a reset, or an answer that never comes).</remarks>
public sealed class Fault
{
    private int _hits;

    /// <summary>HTTP method, or null / <c>*</c> for any.</summary>
    public string? Method { get; init; }

    public string? PathPrefix { get; init; }

    public bool ExactPath { get; init; }

    public Regex? PathPattern { get; init; }

    /// <summary>How many matching requests the fault applies to (int.MaxValue for all).</summary>
    public int Times { get; init; } = 1;

    public int? StatusCode { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Response body; a JSON message body is used when null and a status code is set.</summary>
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/json; charset=utf-8";

    public TimeSpan Delay { get; init; }

    public bool Abort { get; init; }

    /// <summary>A secondary rate limit: its caller stays limited this long after the answer.</summary>
    public TimeSpan? SecondaryPenalty { get; init; }

    /// <summary>Apply the fault to the answer, after the simulator carried the request out.</summary>
    public bool AfterHandler { get; init; }

    /// <summary>How many requests the fault has been applied to.</summary>
    public int Hits => Volatile.Read(ref _hits);

    public bool Exhausted => Hits >= Times;

    internal bool Matches(string method, string apiPath, string fullPath)
    {
        if (Method is not null && Method != "*" && !Method.Equals(method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (PathPattern is not null)
        {
            return PathPattern.IsMatch(apiPath) || PathPattern.IsMatch(fullPath);
        }

        return PathPrefix is null || MatchesPrefix(apiPath) || MatchesPrefix(fullPath);
    }

    /// <summary>Counts a hit; false when the fault is used up.</summary>
    internal bool TryHit()
    {
        var hits = Interlocked.Increment(ref _hits);
        if (hits <= Times)
        {
            return true;
        }

        Interlocked.Decrement(ref _hits);
        return false;
    }

    private bool MatchesPrefix(string path)
    {
        var prefix = PathPrefix!.TrimEnd('/');
        if (path.Equals(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !ExactPath && path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);
    }
}
