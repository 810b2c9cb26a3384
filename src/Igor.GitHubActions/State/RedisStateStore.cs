using Igor.GitHubActions.Igor.Queue;
using Igor.GitHubActions.State.Redis;
using StackExchange.Redis;

namespace Igor.GitHubActions.State;

/// <summary>
/// The store on Redis, shared by several replicas: a port per feature over one <see cref="RedisDatabase"/>. Every
/// operation that must be atomic (issuing a queue id for an idempotency key, claiming deliveries and outbox messages) is
/// one Lua script, so two replicas never both win.
/// </summary>
internal sealed class RedisStateStore : IStateStore, IStoreIdentity, IStatePruning
{
    private readonly RedisDatabase db;

    /// <summary>Whether this process indexed the items closed before retention existed (once: see <see cref="RedisQueueItems.IndexOlderClosedItemsAsync"/>).</summary>
    private bool _olderClosedItemsIndexed;

    public RedisStateStore(IConnectionMultiplexer redis, string prefix, TimeSpan? retention = null)
    {
        db = new RedisDatabase(redis, prefix, retention);
        QueueItems = new RedisQueueItems(db);
        Runs = new RedisRunIndex(db);
        Deliveries = new RedisDeliveryInbox(db, new RedisLeasedQueue<WebhookPayload>(db, RedisQueueLayouts.Deliveries, db.DeliveryRetention));
        Outbox = new RedisLeasedQueue<EchoMessage>(db, RedisQueueLayouts.EchoOutbox, db.EmittedKeyRetention);
        Snapshots = new RedisRunSnapshots(db);
        DeploymentLinks = new RedisDeploymentLinks(db);
        DeploymentStatuses = new RedisLeasedQueue<DeploymentStatusWrite>(db, RedisQueueLayouts.DeploymentStatuses, db.DeploymentRetention);
        StageRuns = new RedisStageRuns(db);
    }

    public IQueueItems QueueItems { get; }

    public IRunIndex Runs { get; }

    public ILeasedQueue<WebhookPayload> Deliveries { get; }

    public ILeasedQueue<EchoMessage> Outbox { get; }

    public IRunSnapshotStore Snapshots { get; }

    public IDeploymentLinks DeploymentLinks { get; }

    public ILeasedQueue<DeploymentStatusWrite> DeploymentStatuses { get; }

    public IStageRuns StageRuns { get; }

    // KEYS: the identity hash. ARGV: id, created (unix ms). Written only when absent.
    private const string IdentityScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          redis.call('HSET', KEYS[1], 'id', ARGV[1], 'created_at', ARGV[2])
        end
        return redis.call('HMGET', KEYS[1], 'id', 'created_at')
        """;

    public async Task<StoreIdentity> GetOrCreateIdentityAsync(StoreIdentity candidate, CancellationToken cancellationToken)
    {
        var values = (RedisResult[])(await db.Db.ScriptEvaluateAsync(
            IdentityScript, [db.Key("meta:identity")], [candidate.Id, candidate.CreatedAt.ToUnixTimeMilliseconds()]).ConfigureAwait(false))!;
        return new StoreIdentity((string)values[0]!, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)values[1]!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    // KEYS: closed items (zset by creation), open set. ARGV: before (ms), batch, key prefix.
    private const string PruneQueueScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        local pruned = 0
        for _, id in ipairs(ids) do
          if redis.call('SISMEMBER', KEYS[2], id) == 0 then
            local json = redis.call('HGET', ARGV[3] .. 'queue:rec:' .. id, 'json') or redis.call('GET', ARGV[3] .. 'queue:item:' .. id)
            if json then
              local item = cjson.decode(json)
              redis.call('DEL', ARGV[3] .. 'queue:key:' .. item['IdempotencyKey'])
              if type(item['RunId']) == 'number' then
                local run = ARGV[3] .. 'queue:run:' .. string.format('%.0f', item['RunId'])
                if redis.call('GET', run) == id then redis.call('DEL', run) end
              end
            end
            redis.call('DEL', ARGV[3] .. 'queue:rec:' .. id, ARGV[3] .. 'queue:item:' .. id)
            pruned = pruned + 1
          end
          redis.call('ZREM', KEYS[1], id)
        end
        return {#ids, pruned}
        """;

    // KEYS: run-index entries (zset by time). ARGV: before (ms), batch, key prefix. Members: master \n job \n number.
    private const string PruneRunsScript = """
        local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, member in ipairs(members) do
          local master, job, number = string.match(member, '^(.-)\n(.-)\n(.*)$')
          if master then redis.call('HDEL', ARGV[3] .. 'runs:' .. master .. ':' .. job, number) end
          redis.call('ZREM', KEYS[1], member)
        end
        return #members
        """;



    public async Task<PruneResult> PruneAsync(PrunePolicy policy, CancellationToken cancellationToken)
    {
        if (!_olderClosedItemsIndexed)
        {
            await ((RedisQueueItems)QueueItems).IndexOlderClosedItemsAsync(cancellationToken).ConfigureAwait(false);
            _olderClosedItemsIndexed = true;
        }

        var before = policy.Before.ToUnixTimeMilliseconds();
        var items = 0;
        while (true)
        {
            var result = (RedisResult[])(await db.Db.ScriptEvaluateAsync(
                PruneQueueScript, [db.Key("queue:closed"), db.Key("queue:open")], [before, policy.BatchSize, db.Prefix]).ConfigureAwait(false))!;
            items += (int)result[1];
            if ((int)result[0] < policy.BatchSize)
            {
                break;
            }
        }

        var runs = 0;
        while (true)
        {
            var pruned = (int)await db.Db.ScriptEvaluateAsync(PruneRunsScript, [db.Key("runs:recorded")], [before, policy.BatchSize, db.Prefix]).ConfigureAwait(false);
            runs += pruned;
            if (pruned < policy.BatchSize)
            {
                break;
            }
        }

        return new PruneResult(items, runs, 0, 0, 0, 0, 0, 0, 0);
    }

    public override string ToString() => db.ToString();
}
