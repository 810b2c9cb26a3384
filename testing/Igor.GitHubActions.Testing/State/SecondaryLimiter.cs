namespace Igor.GitHubActions.Testing.State;

/// <summary>
/// GitHub's secondary rate limits (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits):
/// at most <see cref="GitHubSimulatorOptions.ContentCreationLimitPerMinute"/> content-creating requests (POST, PATCH,
/// PUT, DELETE) per minute per installation or user; past it, and while the penalty runs, every request of that caller
/// answers 403. A request that arrives during a penalty is counted: GitHub may ban an integration that keeps calling.
/// </summary>
internal sealed class SecondaryLimiter
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _content = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _penalties = new(StringComparer.Ordinal);

    /// <summary>Requests received while their caller's penalty ran.</summary>
    public int Violations { get; private set; }

    /// <summary>How many times a caller went past the content-creation limit.</summary>
    public int LimitsHit { get; private set; }

    /// <summary>The end of the caller's penalty when the request must be refused; null when it may go on.</summary>
    public DateTimeOffset? Check(string key, bool contentCreating, DateTimeOffset now, int perMinute, TimeSpan penalty)
    {
        lock (_sync)
        {
            if (_penalties.TryGetValue(key, out var until) && until > now)
            {
                Violations++;
                return until;
            }

            if (!contentCreating)
            {
                return null;
            }

            if (!_content.TryGetValue(key, out var recent))
            {
                _content[key] = recent = new Queue<DateTimeOffset>();
            }

            while (recent.Count > 0 && recent.Peek() <= now - TimeSpan.FromMinutes(1))
            {
                recent.Dequeue();
            }

            if (recent.Count >= perMinute)
            {
                LimitsHit++;
                _penalties[key] = now + penalty;
                return now + penalty;
            }

            recent.Enqueue(now);
            return null;
        }
    }

    /// <summary>Starts a penalty (a secondary-limit fault was answered).</summary>
    public void Penalize(string key, DateTimeOffset until)
    {
        lock (_sync)
        {
            _penalties[key] = _penalties.TryGetValue(key, out var running) && running > until ? running : until;
        }
    }
}
