using StackExchange.Redis;

namespace Igor.GitHubActions.State;

/// <summary>
/// Retention on Redis: closed queue items (their hash, idempotency key and run index) and run-index entries go by
/// sorted sets of their times; deliveries (ids at least 3 days), snapshots, emitted-event keys and deployment records
/// expire by TTLs taken from the same retention.
/// </summary>
internal sealed partial class RedisStateStore : IStatePruning
{
    // KEYS: closed items (zset by creation), open set. ARGV: before (ms), batch, key prefix.
    private const string PruneQueueScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        local pruned = 0
        for _, id in ipairs(ids) do
          if redis.call('SISMEMBER', KEYS[2], id) == 0 then
            local json = redis.call('HGET', ARGV[3] .. 'queue:rec:' .. id, 'json')
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
        var before = policy.Before.ToUnixTimeMilliseconds();
        var items = 0;
        while (true)
        {
            var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
                PruneQueueScript, [Key("queue:closed"), Key("queue:open")], [before, policy.BatchSize, prefix]).ConfigureAwait(false))!;
            items += (int)result[1];
            if ((int)result[0] < policy.BatchSize)
            {
                break;
            }
        }

        var runs = 0;
        while (true)
        {
            var pruned = (int)await Db.ScriptEvaluateAsync(PruneRunsScript, [Key("runs:recorded")], [before, policy.BatchSize, prefix]).ConfigureAwait(false);
            runs += pruned;
            if (pruned < policy.BatchSize)
            {
                break;
            }
        }

        return new PruneResult(items, runs, 0, 0, 0, 0, 0, 0, 0);
    }
}
