namespace Igor.GitHubActions.Testing.State;


/// <summary>Primary rate limits per bucket key, windows of one hour on the simulator clock.</summary>
internal sealed class RateLimiter
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, RateLimitBucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>The bucket for <paramref name="key"/>, starting a new window when the previous one has passed.</summary>
    public RateLimitBucket Get(string key, int limit, DateTimeOffset now)
    {
        lock (_sync)
        {
            if (!_buckets.TryGetValue(key, out var bucket) || bucket.Reset <= now)
            {
                bucket = new RateLimitBucket { Key = key, Limit = limit, Reset = now.AddHours(1) };
                _buckets[key] = bucket;
            }

            bucket.Limit = limit;
            return bucket;
        }
    }

    /// <summary>Counts one request; returns (limit, remaining, used, reset) after counting.</summary>
    public (int Limit, int Remaining, int Used, DateTimeOffset Reset) Count(RateLimitBucket bucket, bool consume)
    {
        lock (_sync)
        {
            if (consume)
            {
                bucket.Used++;
            }

            return (bucket.Limit, bucket.Remaining, bucket.Used, bucket.Reset);
        }
    }

    /// <summary>Sets the used count of a bucket (test helper).</summary>
    public void SetUsed(string key, int used)
    {
        lock (_sync)
        {
            if (_buckets.TryGetValue(key, out var bucket))
            {
                bucket.Used = used;
            }
        }
    }
}
