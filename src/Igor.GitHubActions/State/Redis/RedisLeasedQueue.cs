using System.Globalization;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>
/// A leased queue on Redis (<see cref="RedisQueueLayout{T}"/>): adding, claiming and finishing are Lua scripts, so two
/// replicas never both win, and every change to a claimed item is conditional on the claim it was handed out under.
/// </summary>
internal sealed class RedisLeasedQueue<T>(RedisDatabase db, RedisQueueLayout<T> layout, TimeSpan retention) : ILeasedQueue<T>
{
    // KEYS: key marker, seq counter, groups set, pending set, final marker, group zset (or the ungrouped zset), all-of-group
    // zset, and the key as an older layout marked it (the key marker again when there is none).
    // ARGV: key, group, due (ms), retention (ms), item prefix, final, version, keeps done, then payload field/value pairs.
    private const string EnqueueScript = """
        if redis.call('EXISTS', KEYS[1], KEYS[8]) > 0 then return 0 end
        if ARGV[6] == '1' then
          local last = redis.call('GET', KEYS[5])
          if last and tonumber(last) >= tonumber(ARGV[7]) then return 0 end
          redis.call('SET', KEYS[5], ARGV[7], 'PX', ARGV[4])
        end
        local seq = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], seq, 'PX', ARGV[4])
        local item = ARGV[5] .. seq
        redis.call('HSET', item, 'key', ARGV[1], 'grp', ARGV[2], 'attempts', '0', 'next_at', ARGV[3], 'lease_until', '0', unpack(ARGV, 9))
        redis.call('ZADD', KEYS[6], seq, seq)
        if ARGV[8] == '1' then
          redis.call('PEXPIRE', item, ARGV[4])
          redis.call('ZADD', KEYS[7], seq, seq)
          redis.call('PEXPIRE', KEYS[7], ARGV[4])
        end
        if ARGV[2] ~= '' then redis.call('SADD', KEYS[3], ARGV[2]) end
        redis.call('SADD', KEYS[4], seq)
        return seq
        """;

    // KEYS: groups set, pending set, ungrouped zset. ARGV: now, lease until, max, group zset prefix, item prefix, then the
    // fields to return. Returns seq, group and the fields per claim: ungrouped items first, oldest first, read a page at a
    // time so a backlog is not read whole, then the heads of the groups. An item whose hash expired (kept items have a
    // TTL) leaves its zset.
    private const string ClaimScript = """
        local claimed = {}
        local count = 0
        local now = tonumber(ARGV[1])
        local names = {}
        for i = 6, #ARGV do table.insert(names, ARGV[i]) end
        local function try(seq, grp, zset)
          local item = ARGV[5] .. seq
          local due = redis.call('HMGET', item, 'next_at', 'lease_until')
          if not due[1] then
            redis.call('ZREM', zset, seq)
            redis.call('SREM', KEYS[2], seq)
          elseif tonumber(due[1]) <= now and tonumber(due[2] or '0') <= now then
            redis.call('HSET', item, 'lease_until', ARGV[2])
            count = count + 1
            table.insert(claimed, seq)
            table.insert(claimed, grp)
            local values = redis.call('HMGET', item, unpack(names))
            for i = 1, #names do table.insert(claimed, values[i] or '') end
          end
        end
        local start = 0
        while count < tonumber(ARGV[3]) do
          local page = redis.call('ZRANGE', KEYS[3], start, start + 99)
          if #page == 0 then break end
          for _, seq in ipairs(page) do
            if count >= tonumber(ARGV[3]) then break end
            try(seq, '', KEYS[3])
          end
          start = start + 100
        end
        for _, grp in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if count >= tonumber(ARGV[3]) then break end
          local zset = ARGV[4] .. grp
          local head = redis.call('ZRANGE', zset, 0, 0)
          if #head == 0 then
            redis.call('SREM', KEYS[1], grp)
          else
            try(head[1], grp, zset)
          end
        end
        return claimed
        """;

    // KEYS: item, group zset, pending set, dead zset, dead copy. ARGV: lease, mode (retry, done, dead), time (ms), outcome,
    // error, keeps done, retention (ms), seq, then the payload fields the dead copy keeps. Nothing changes unless the
    // item is still held under the lease it was claimed with.
    private const string FinishScript = """
        if redis.call('HGET', KEYS[1], 'lease_until') ~= ARGV[1] then return 0 end
        if ARGV[2] == 'retry' then
          redis.call('HSET', KEYS[1], 'next_at', ARGV[3], 'lease_until', '0', 'last_error', ARGV[5])
          redis.call('HINCRBY', KEYS[1], 'attempts', 1)
          return 1
        end
        redis.call('ZREM', KEYS[2], ARGV[8])
        redis.call('SREM', KEYS[3], ARGV[8])
        local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
        if ARGV[2] == 'dead' then
          local f = redis.call('HMGET', KEYS[1], 'key', 'grp')
          redis.call('HSET', KEYS[5], 'key', f[1] or '', 'grp', f[2] or '', 'attempts', attempts, 'reason', ARGV[5], 'at', ARGV[3])
          for i = 9, #ARGV do
            local v = redis.call('HGET', KEYS[1], ARGV[i])
            if v then redis.call('HSET', KEYS[5], ARGV[i], v) end
          end
          redis.call('PEXPIRE', KEYS[5], ARGV[7])
          redis.call('ZADD', KEYS[4], ARGV[3], ARGV[8])
        end
        if ARGV[6] == '1' then
          redis.call('HSET', KEYS[1], 'outcome', ARGV[4], 'last_error', ARGV[5], 'lease_until', '0', 'done_at', ARGV[3])
        else
          redis.call('DEL', KEYS[1])
        end
        return 1
        """;

    // KEYS: the claimed items' hashes; ARGV[1] the lease they were claimed under. A finished (deleted) item is not recreated.
    private const string ReleaseScript = """
        for _, key in ipairs(KEYS) do
          if redis.call('HGET', key, 'lease_until') == ARGV[1] then
            redis.call('HSET', key, 'lease_until', '0')
          end
        end
        return 0
        """;

    private static readonly string[] ItemFields = ["key", "attempts", "next_at", "last_error", "outcome", "done_at"];

    private readonly string _name = layout.Name + ":";

    public Task<bool> EnqueueAsync(NewLeasedItem<T> item, CancellationToken cancellationToken) => EnqueueAsync(item, takingOver: false);

    /// <summary>
    /// Adds an item; <paramref name="takingOver"/> adds one an older layout still holds, whose older key marker is then
    /// its own (see <see cref="RedisQueueLayout{T}.OlderKeyMarkers"/>).
    /// </summary>
    internal async Task<bool> EnqueueAsync(NewLeasedItem<T> item, bool takingOver)
    {
        var payload = layout.Values(item);
        var args = new List<RedisValue>
        {
            item.Key, item.Group, RedisDatabase.Millis(item.DueAt), (long)retention.TotalMilliseconds, Key("msg:").ToString(),
            item.Final ? "1" : "0", item.Version, layout.KeepsDone ? "1" : "0",
        };
        for (var i = 0; i < payload.Length; i++)
        {
            args.Add(layout.PayloadFields[i]);
            args.Add(payload[i]);
        }

        var seq = (long)await db.Db.ScriptEvaluateAsync(
            EnqueueScript,
            [Key($"key:{item.Key}"), Key("seq"), Key("groups"), Key("pending"), Key($"final:{item.Group}"), GroupSet(item.Group), Key($"all:{item.Group}"),
             layout.OlderKeyMarkers is { } older && !takingOver ? db.Key(older + item.Key) : Key($"key:{item.Key}")],
            [.. args]).ConfigureAwait(false);
        return seq > 0;
    }

    public async Task<bool> ContainsAsync(string key, CancellationToken cancellationToken) =>
        await db.Db.KeyExistsAsync(Key($"key:{key}")).ConfigureAwait(false) ||
        (layout.OlderKeyMarkers is { } older && await db.Db.KeyExistsAsync(db.Key(older + key)).ConfigureAwait(false));

    public async Task<IReadOnlyList<LeasedItem<T>>> ClaimAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + lease;
        RedisValue[] args = [RedisDatabase.Millis(now), RedisDatabase.Millis(until), max, Key(layout.GroupKeys).ToString(), Key("msg:").ToString(), .. ItemFields, .. layout.PayloadFields];
        var result = (RedisResult[])(await db.Db.ScriptEvaluateAsync(ClaimScript, [Key("groups"), Key("pending"), GroupSet("")], args).ConfigureAwait(false))!;
        var stride = 2 + ItemFields.Length + layout.PayloadFields.Count;
        var claimed = new List<LeasedItem<T>>();
        for (var i = 0; i + stride <= result.Length; i += stride)
        {
            var fields = result.Skip(i + 2).Take(stride - 2).Select(r => (RedisValue)r).ToArray();
            claimed.Add(ToItem(long.Parse((string)result[i]!, CultureInfo.InvariantCulture), (string)result[i + 1]!, fields) with { LeaseUntil = until });
        }

        return claimed.OrderBy(m => m.Sequence).ToArray();
    }

    public async Task ReleaseAsync(IReadOnlyCollection<LeasedItem<T>> claimed, CancellationToken cancellationToken)
    {
        foreach (var claim in claimed.Where(c => c.LeaseUntil is not null).GroupBy(c => c.LeaseUntil!.Value))
        {
            await db.Db.ScriptEvaluateAsync(ReleaseScript, claim.Select(c => Key($"msg:{c.Sequence}")).ToArray(), [RedisDatabase.Millis(claim.Key)]).ConfigureAwait(false);
        }
    }

    public Task<bool> CompleteAsync(LeasedItem<T> claimed, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(claimed, "done", now, outcome, error);

    public Task<bool> RescheduleAsync(LeasedItem<T> claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        FinishAsync(claimed, "retry", dueAt, "", error);

    public Task<bool> DeadLetterAsync(LeasedItem<T> claimed, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(claimed, "dead", now, LeasedItem<T>.DeadLettered, reason);

    public async Task<IReadOnlyList<LeasedItem<T>>> ListGroupAsync(string group, CancellationToken cancellationToken)
    {
        var sequences = await db.Db.SortedSetRangeByRankAsync(layout.KeepsDone && group.Length > 0 ? Key($"all:{group}") : GroupSet(group)).ConfigureAwait(false);
        var items = new List<LeasedItem<T>>();
        foreach (var sequence in sequences)
        {
            var fields = await db.Db.HashGetAsync(Key($"msg:{sequence}"), [.. ItemFields, .. layout.PayloadFields]).ConfigureAwait(false);
            if (!fields[2].IsNull)
            {
                items.Add(ToItem((long)sequence, group, fields));
            }
        }

        return items;
    }

    public async Task<IReadOnlyList<LeasedItem<T>>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        var letters = new List<LeasedItem<T>>();
        foreach (var sequence in await db.Db.SortedSetRangeByRankAsync(Key("dead"), 0, max - 1, Order.Descending).ConfigureAwait(false))
        {
            var fields = await db.Db.HashGetAsync(Key($"dead:{sequence}"), ["key", "grp", "attempts", "reason", "at", .. layout.PayloadFields]).ConfigureAwait(false);
            if (fields[0].IsNull)
            {
                // Expired with the retention: the index entry goes too.
                await db.Db.SortedSetRemoveAsync(Key("dead"), sequence).ConfigureAwait(false);
                continue;
            }

            var at = RedisDatabase.FromMillis((long)fields[4]);
            letters.Add(new LeasedItem<T>((long)sequence, (string)fields[0]!, (string)fields[1]!, layout.Read(fields[5..]))
            {
                Attempts = (int)fields[2], LastError = (string?)fields[3], Outcome = LeasedItem<T>.DeadLettered, DoneAt = at, DueAt = at,
            });
        }

        return letters;
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken) => (int)await db.Db.SetLengthAsync(Key("pending")).ConfigureAwait(false);

    private async Task<bool> FinishAsync(LeasedItem<T> claimed, string mode, DateTimeOffset at, string outcome, string? error)
    {
        if (claimed.LeaseUntil is not { } leaseUntil)
        {
            throw new ArgumentException("only a claimed item can be finished", nameof(claimed));
        }

        var sequence = claimed.Sequence.ToString(CultureInfo.InvariantCulture);
        RedisValue[] args =
        [
            RedisDatabase.Millis(leaseUntil), mode, RedisDatabase.Millis(at), outcome, error ?? "", layout.KeepsDone ? "1" : "0",
            (long)retention.TotalMilliseconds, sequence, .. layout.PayloadFields,
        ];
        var done = (int)await db.Db.ScriptEvaluateAsync(
            FinishScript,
            [Key($"msg:{sequence}"), GroupSet(claimed.Group), Key("pending"), Key("dead"), Key($"dead:{sequence}")],
            args).ConfigureAwait(false);
        return done == 1;
    }

    /// <summary>An item from its hash's <see cref="ItemFields"/> and payload fields.</summary>
    private LeasedItem<T> ToItem(long sequence, string group, RedisValue[] fields)
    {
        var payload = fields[ItemFields.Length..];
        var key = (string?)fields[0] is { Length: > 0 } written ? written : layout.KeyOfOlderItems?.Invoke(payload) ?? "";
        return new LeasedItem<T>(sequence, key, group, layout.Read(payload))
        {
            Attempts = (int)fields[1],
            DueAt = RedisDatabase.FromMillis(long.Parse((string)fields[2]!, CultureInfo.InvariantCulture)),
            LastError = (string?)fields[3] is { Length: > 0 } error ? error : null,
            Outcome = (string?)fields[4] is { Length: > 0 } outcome ? outcome : null,
            DoneAt = (string?)fields[5] is { Length: > 0 } done ? RedisDatabase.FromMillis(long.Parse(done, CultureInfo.InvariantCulture)) : null,
        };
    }

    /// <summary>A group's pending items in order; the items of the empty group (each independent of the others) in one zset.</summary>
    private RedisKey GroupSet(string group) => group.Length == 0 ? Key("free") : Key(layout.GroupKeys + group);

    private RedisKey Key(string name) => db.Key(_name + name);
}
