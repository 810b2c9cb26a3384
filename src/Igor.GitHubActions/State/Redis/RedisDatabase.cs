using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>One Redis database and key prefix shared by the store's ports: keys and retention periods.</summary>
internal sealed class RedisDatabase(IConnectionMultiplexer redis, string prefix, TimeSpan? retention = null)
{
    /// <summary>State:Retention: how long snapshots and deployment records live (TTL).</summary>
    public TimeSpan Retention { get; } = retention ?? TimeSpan.FromDays(7);

    public string Prefix => prefix;

    /// <summary>Delivery ids and emitted-event keys dedupe redeliveries: kept at least as long as GitHub redelivers (3 days).</summary>
    public TimeSpan DeliveryRetention => Retention > StatePruner.RedeliveryWindow ? Retention : StatePruner.RedeliveryWindow;

    public TimeSpan EmittedKeyRetention => DeliveryRetention;

    public TimeSpan DeploymentRetention => Retention;

    public TimeSpan SnapshotRetention => Retention;

    public IDatabase Db => redis.GetDatabase();

    public RedisKey Key(string name) => new(prefix + name);

    public static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMillis(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value).ToOffset(TimeSpan.Zero);

    public override string ToString() => $"Redis store (prefix {prefix})";
}
