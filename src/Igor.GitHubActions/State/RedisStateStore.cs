using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Igor.GitHubActions.State;

/// <summary>
/// The store on Redis, shared by several replicas. Every operation that must be atomic (issuing a queue id for an
/// idempotency key, claiming deliveries and outbox messages) is one Lua script, so two replicas never both win.
/// </summary>
internal sealed partial class RedisStateStore(IConnectionMultiplexer redis, string prefix) : IStateStore
{
    private static readonly TimeSpan DeliveryRetention = TimeSpan.FromDays(8);
    private static readonly TimeSpan EmittedKeyRetention = TimeSpan.FromDays(30);

    // KEYS: the claimed items' hashes; ARGV[1] the lease they were claimed under. A finished (deleted) item is not recreated.
    private const string ReleaseClaimsScript = """
        for _, key in ipairs(KEYS) do
          if redis.call('HGET', key, 'lease_until') == ARGV[1] then
            redis.call('HSET', key, 'lease_until', '0')
          end
        end
        return 0
        """;

    private const string GetOrCreateScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing then
          return {0, existing, redis.call('GET', ARGV[2] .. existing)}
        end
        local id = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], id)
        redis.call('SET', ARGV[2] .. id, ARGV[1])
        redis.call('SADD', KEYS[3], id)
        return {1, tostring(id), ARGV[1]}
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<(QueueItem Item, bool Created)> GetOrCreateQueueItemAsync(QueueItem candidate, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            GetOrCreateScript,
            [Key($"queue:key:{candidate.IdempotencyKey}"), Key("queue:seq"), Key("queue:open")],
            [JsonSerializer.Serialize(candidate), Key("queue:item:").ToString()]).ConfigureAwait(false))!;
        var id = long.Parse((string)result[1]!, CultureInfo.InvariantCulture);
        var item = JsonSerializer.Deserialize<QueueItem>((string)result[2]!)! with { Id = id };
        return (item, (int)result[0] == 1);
    }

    public async Task<QueueItem?> GetQueueItemAsync(long queueId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(Key($"queue:item:{queueId}")).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize<QueueItem>((string)json!)! with { Id = queueId };
    }

    public async Task UpdateQueueItemAsync(QueueItem item, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.StringSetAsync(Key($"queue:item:{item.Id}"), JsonSerializer.Serialize(item));
        var open = item.State is QueueItemState.Dispatching or QueueItemState.Dispatched || (item.State == QueueItemState.Resolved && item.CancelRequested);
        _ = open
            ? transaction.SetAddAsync(Key("queue:open"), item.Id)
            : transaction.SetRemoveAsync(Key("queue:open"), item.Id);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueueItem>> ListOpenQueueItemsAsync(CancellationToken cancellationToken)
    {
        var ids = (await Db.SetMembersAsync(Key("queue:open")).ConfigureAwait(false)).Select(v => (long)v).Order().Take(1000).ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await Db.StringGetAsync(ids.Select(id => Key($"queue:item:{id}")).ToArray()).ConfigureAwait(false);
        return ids.Zip(values).Where(p => !p.Second.IsNull)
            .Select(p => JsonSerializer.Deserialize<QueueItem>((string)p.Second!)! with { Id = p.First })
            .ToArray();
    }

    public async Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken)
    {
        foreach (var group in runs.GroupBy(r => (r.Master, r.Job)))
        {
            await Db.HashSetAsync(
                Key($"runs:{group.Key.Master}:{group.Key.Job}"),
                group.Select(r => new HashEntry(r.RunNumber, r.RunId)).ToArray()).ConfigureAwait(false);
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
