using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Igor.GitHubActions.State;

/// <summary>
/// The store on Redis, shared by several replicas. Every operation that must be atomic (issuing a queue id for an
/// idempotency key, claiming deliveries and outbox messages) is one Lua script, so two replicas never both win.
/// </summary>
internal sealed partial class RedisStateStore(IConnectionMultiplexer redis, string prefix, TimeSpan? retention = null) : IStateStore, IQueueItems, IStoreIdentity
{
    // KEYS: the job's run index, the index entries by time (for retention). ARGV: member prefix (master \n job \n), then
    // number, run id pairs. Times are Redis's own clock.
    private const string RecordRunsScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for i = 2, #ARGV, 2 do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
          redis.call('ZADD', KEYS[2], now, ARGV[1] .. ARGV[i])
        end
        return 0
        """;

    // KEYS: the identity hash. ARGV: id, created (unix ms). Written only when absent.
    private const string IdentityScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          redis.call('HSET', KEYS[1], 'id', ARGV[1], 'created_at', ARGV[2])
        end
        return redis.call('HMGET', KEYS[1], 'id', 'created_at')
        """;

    /// <summary>State:Retention: how long snapshots and deployment records live (TTL).</summary>
    private readonly TimeSpan _retention = retention ?? TimeSpan.FromDays(7);

    /// <summary>Delivery ids and emitted-event keys dedupe redeliveries: kept at least as long as GitHub redelivers (3 days).</summary>
    private TimeSpan DeliveryRetention => _retention > StatePruner.RedeliveryWindow ? _retention : StatePruner.RedeliveryWindow;

    private TimeSpan EmittedKeyRetention => DeliveryRetention;

    // KEYS: the claimed items' hashes; ARGV[1] the lease they were claimed under. A finished (deleted) item is not recreated.
    private const string ReleaseClaimsScript = """
        for _, key in ipairs(KEYS) do
          if redis.call('HGET', key, 'lease_until') == ARGV[1] then
            redis.call('HSET', key, 'lease_until', '0')
          end
        end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<StoreIdentity> GetOrCreateIdentityAsync(StoreIdentity candidate, CancellationToken cancellationToken)
    {
        var values = (RedisResult[])(await Db.ScriptEvaluateAsync(
            IdentityScript, [Key("meta:identity")], [candidate.Id, candidate.CreatedAt.ToUnixTimeMilliseconds()]).ConfigureAwait(false))!;
        return new StoreIdentity((string)values[0]!, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)values[1]!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    public async Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken)
    {
        foreach (var group in runs.GroupBy(r => (r.Master, r.Job)))
        {
            RedisValue[] values = [$"{group.Key.Master}\n{group.Key.Job}\n", .. group.SelectMany(r => new RedisValue[] { r.RunNumber, r.RunId })];
            await Db.ScriptEvaluateAsync(RecordRunsScript, [Key($"runs:{group.Key.Master}:{group.Key.Job}"), Key("runs:recorded")], values).ConfigureAwait(false);
        }
    }

    public async Task<long?> FindRunIdAsync(string master, string job, int runNumber, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(Key($"runs:{master}:{job}"), runNumber).ConfigureAwait(false);
        return value.IsNull ? null : (long)value;
    }

    public async Task ReleaseClaimsAsync(ClaimKind kind, IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var item = kind switch
        {
            ClaimKind.Deliveries => "delivery:",
            ClaimKind.Outbox => "outbox:msg:",
            _ => "depstatus:msg:",
        };
        await Db.ScriptEvaluateAsync(ReleaseClaimsScript, ids.Select(id => Key(item + id)).ToArray(), [Millis(leaseUntil)]).ConfigureAwait(false);
    }

    private RedisKey Key(string name) => new(prefix + name);

    private static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMillis(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value).ToOffset(TimeSpan.Zero);

    public override string ToString() => $"Redis store (prefix {prefix})";
}
