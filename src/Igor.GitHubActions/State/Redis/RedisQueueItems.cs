using System.Globalization;
using System.Text.Json;
using Igor.GitHubActions.Igor.Queue;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>Queue items on Redis: every write is a compare-and-set script on the item's version.</summary>
internal sealed class RedisQueueItems(RedisDatabase db) : IQueueItems
{
    // KEYS: idempotency key → id, the id sequence, the open set. ARGV: the candidate's JSON, the hash key prefix, open,
    // the least id (QueueIds.Floor: a sequence lost with the store never restarts at 1).
    private const string GetOrCreateScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing then
          return {0, existing}
        end
        local id = redis.call('INCR', KEYS[2])
        if id < tonumber(ARGV[4]) then
          id = tonumber(ARGV[4])
          redis.call('SET', KEYS[2], id)
        end
        redis.call('SET', KEYS[1], id)
        redis.call('HSET', ARGV[2] .. id, 'json', ARGV[1], 'version', 1, 'cancel', '0')
        if ARGV[3] == '1' then redis.call('SADD', KEYS[3], id) end
        return {1, tostring(id)}
        """;

    // KEYS: the item's hash, its legacy string, the open set, the run index key (or the hash again when no run), the
    // closed items by creation time (for retention).
    // ARGV: new JSON, expected version, id, open whatever the cancel flag, open when a cancel is requested, has run,
    // created (unix ms).
    private const string TryUpdateScript = """
        local version = redis.call('HGET', KEYS[1], 'version')
        local cancel = redis.call('HGET', KEYS[1], 'cancel')
        if not version then
          local legacy = redis.call('GET', KEYS[2])
          if not legacy then return false end
          version = '1'
          cancel = cjson.decode(legacy)['CancelRequested'] and '1' or '0'
        end
        if tonumber(version) ~= tonumber(ARGV[2]) then return false end
        local next = tonumber(version) + 1
        redis.call('HSET', KEYS[1], 'json', ARGV[1], 'version', next, 'cancel', cancel)
        redis.call('DEL', KEYS[2])
        if ARGV[4] == '1' or (ARGV[5] == '1' and cancel == '1') then
          redis.call('SADD', KEYS[3], ARGV[3])
        else
          redis.call('SREM', KEYS[3], ARGV[3])
          redis.call('ZADD', KEYS[5], ARGV[7], ARGV[3])
        end
        if ARGV[6] == '1' then redis.call('SET', KEYS[4], ARGV[3], 'NX') end
        return {tostring(next), cancel}
        """;

    // KEYS: the item's hash, its legacy string, the open set. ARGV: id.
    private const string RequestCancelScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          local legacy = redis.call('GET', KEYS[2])
          if not legacy then return false end
          redis.call('HSET', KEYS[1], 'json', legacy, 'version', 1, 'cancel', '0')
          redis.call('DEL', KEYS[2])
        end
        local next = redis.call('HINCRBY', KEYS[1], 'version', 1)
        redis.call('HSET', KEYS[1], 'cancel', '1')
        redis.call('SADD', KEYS[3], ARGV[1])
        return {tostring(next), redis.call('HGET', KEYS[1], 'json')}
        """;

    // KEYS: the item's hash, the open set. ARGV: id, the version seen closed.
    private const string RemoveClosedScript = """
        local version = redis.call('HGET', KEYS[1], 'version')
        if (not version) or tonumber(version) == tonumber(ARGV[2]) then
          redis.call('SREM', KEYS[2], ARGV[1])
        end
        return 0
        """;

    public async Task<(QueueItem Item, bool Created)> GetOrCreateAsync(QueueItem candidate, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await db.Db.ScriptEvaluateAsync(
            GetOrCreateScript,
            [db.Key($"queue:key:{candidate.IdempotencyKey}"), db.Key("queue:seq"), db.Key("queue:open")],
            [JsonSerializer.Serialize(candidate), db.Key("queue:rec:").ToString(), candidate.IsOpen ? "1" : "0", QueueIds.Floor(candidate.CreatedAt)]).ConfigureAwait(false))!;
        var id = long.Parse((string)result[1]!, CultureInfo.InvariantCulture);
        if ((int)result[0] == 1)
        {
            return (candidate with { Id = id, Version = 1 }, true);
        }

        var existing = await GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"queue item {id} is indexed but missing from Redis");
        return (existing, false);
    }

    /// <summary>
    /// Items a release before retention closed are in no index of closed items, so retention would never see them: each is
    /// indexed once, by its creation time, for the prune that follows to remove it when its time comes. Answers how many.
    /// </summary>
    internal async Task<int> IndexOlderClosedItemsAsync(CancellationToken cancellationToken)
    {
        var open = (await db.Db.SetMembersAsync(db.Key("queue:open")).ConfigureAwait(false)).Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
        var indexed = 0;
        foreach (var pattern in new[] { "queue:rec:*", "queue:item:*" })
        {
            var cursor = "0";
            do
            {
                var page = (RedisResult[])(await db.Db.ExecuteAsync("SCAN", cursor, "MATCH", db.Key(pattern).ToString(), "COUNT", "500").ConfigureAwait(false))!;
                cursor = (string)page[0]!;
                foreach (var name in ((RedisResult[])page[1]!).Select(k => (string)k!))
                {
                    var id = name[(name.LastIndexOf(':') + 1)..];
                    if (open.Contains(id) || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var queueId) ||
                        await db.Db.SortedSetScoreAsync(db.Key("queue:closed"), id).ConfigureAwait(false) is not null)
                    {
                        continue;
                    }

                    if (await GetAsync(queueId, cancellationToken).ConfigureAwait(false) is { IsOpen: false } item &&
                        await db.Db.SortedSetAddAsync(db.Key("queue:closed"), id, item.CreatedAt.ToUnixTimeMilliseconds(), When.NotExists).ConfigureAwait(false))
                    {
                        indexed++;
                    }
                }
            }
            while (cursor != "0");
        }

        return indexed;
    }

    public async Task<QueueItem?> GetAsync(long queueId, CancellationToken cancellationToken)
    {
        var fields = await db.Db.HashGetAsync(db.Key($"queue:rec:{queueId}"), ["json", "version", "cancel"]).ConfigureAwait(false);
        if (!fields[0].IsNull)
        {
            return JsonSerializer.Deserialize<QueueItem>((string)fields[0]!)! with
            {
                Id = queueId,
                Version = (long)fields[1],
                CancelRequested = fields[2] == "1",
            };
        }

        var legacy = await db.Db.StringGetAsync(db.Key($"queue:item:{queueId}")).ConfigureAwait(false);
        return legacy.IsNull ? null : JsonSerializer.Deserialize<QueueItem>((string)legacy!)! with { Id = queueId, Version = 1 };
    }

    public async Task<QueueItem?> TryUpdateAsync(QueueItem item, CancellationToken cancellationToken)
    {
        var hash = db.Key($"queue:rec:{item.Id}");
        var result = await db.Db.ScriptEvaluateAsync(
            TryUpdateScript,
            [hash, db.Key($"queue:item:{item.Id}"), db.Key("queue:open"), item.RunId is { } runId ? db.Key($"queue:run:{runId}") : hash, db.Key("queue:closed")],
            [
                JsonSerializer.Serialize(item), item.Version, item.Id,
                item.State is QueueItemState.Claimed or QueueItemState.Sending or QueueItemState.Sent ? "1" : "0",
                item.State == QueueItemState.Resolved && !item.CancelSent ? "1" : "0",
                item.RunId is null ? "0" : "1",
                item.CreatedAt.ToUnixTimeMilliseconds(),
            ]).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var values = (RedisResult[])result!;
        return item with { Version = long.Parse((string)values[0]!, CultureInfo.InvariantCulture), CancelRequested = (string?)values[1] == "1" };
    }

    public async Task<QueueItem?> RequestCancelAsync(long queueId, CancellationToken cancellationToken)
    {
        var result = await db.Db.ScriptEvaluateAsync(
            RequestCancelScript,
            [db.Key($"queue:rec:{queueId}"), db.Key($"queue:item:{queueId}"), db.Key("queue:open")],
            [queueId]).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var values = (RedisResult[])result!;
        return JsonSerializer.Deserialize<QueueItem>((string)values[1]!)! with
        {
            Id = queueId,
            Version = long.Parse((string)values[0]!, CultureInfo.InvariantCulture),
            CancelRequested = true,
        };
    }

    public async Task<IReadOnlyList<QueueItem>> ListOpenAsync(string master, CancellationToken cancellationToken)
    {
        // The open set holds every master's items; it stays small because items that cannot resolve end (CorrelationTimeout).
        var ids = (await db.Db.SetMembersAsync(db.Key("queue:open")).ConfigureAwait(false)).Select(v => (long)v).Order().ToArray();
        var items = new List<QueueItem>();
        foreach (var id in ids)
        {
            if (items.Count >= 1000)
            {
                break;
            }

            var item = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (item is { IsOpen: true })
            {
                if (item.Master == master)
                {
                    items.Add(item);
                }
            }
            else
            {
                // A cancel request on a finished item adds it to the set: take it out once seen closed, unless written since.
                await db.Db.ScriptEvaluateAsync(
                    RemoveClosedScript, [db.Key($"queue:rec:{id}"), db.Key("queue:open")], [id, item?.Version ?? 0]).ConfigureAwait(false);
            }
        }

        return items;
    }

    public async Task<QueueItem?> FindByRunIdAsync(long runId, CancellationToken cancellationToken)
    {
        var id = await db.Db.StringGetAsync(db.Key($"queue:run:{runId}")).ConfigureAwait(false);
        return id.IsNull ? null : await GetAsync((long)id, cancellationToken).ConfigureAwait(false);
    }
}
