using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>One Redis database and key prefix shared by the store's ports: keys, retention periods, and the claim release every leased queue uses.</summary>
internal sealed class RedisDatabase(IConnectionMultiplexer redis, string prefix, TimeSpan? retention = null)
{
    // KEYS: the claimed items' hashes; ARGV[1] the lease they were claimed under. A finished (deleted) item is not recreated.
    private const string ReleaseClaimsScript = """
        for _, key in ipairs(KEYS) do
          if redis.call('HGET', key, 'lease_until') == ARGV[1] then
            redis.call('HSET', key, 'lease_until', '0')
          end
        end
        return 0
        """;

    /// <summary>State:Retention: how long snapshots and deployment records live (TTL).</summary>
    public TimeSpan Retention { get; } = retention ?? TimeSpan.FromDays(7);

    public string Prefix => prefix;

    /// <summary>Delivery ids and emitted-event keys dedupe redeliveries: kept at least as long as GitHub redelivers (3 days).</summary>
    public TimeSpan DeliveryRetention => Retention > StatePruner.RedeliveryWindow ? Retention : StatePruner.RedeliveryWindow;

    public TimeSpan EmittedKeyRetention => DeliveryRetention;

    public TimeSpan DeploymentRetention => Retention;

    public TimeSpan SnapshotRetention => Retention;

    public IDatabase Db => redis.GetDatabase();

    /// <summary>Gives back the claims of items under <paramref name="itemPrefix"/> still held under <paramref name="leaseUntil"/>.</summary>
    public async Task ReleaseAsync(string itemPrefix, IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await Db.ScriptEvaluateAsync(ReleaseClaimsScript, ids.Select(id => Key(itemPrefix + id)).ToArray(), [Millis(leaseUntil)]).ConfigureAwait(false);
    }

    public RedisKey Key(string name) => new(prefix + name);

    public static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMillis(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value).ToOffset(TimeSpan.Zero);

    public override string ToString() => $"Redis store (prefix {prefix})";
}
