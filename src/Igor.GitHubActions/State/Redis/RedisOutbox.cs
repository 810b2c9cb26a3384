using System.Globalization;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>The Echo outbox on Redis: enqueue and claim are Lua scripts, one head per group.</summary>
internal sealed class RedisOutbox(RedisDatabase db) : IOutboxStore
{
    private const string EnqueueScript = """
        if redis.call('SET', KEYS[1], '0', 'NX', 'PX', ARGV[6]) == false then return 0 end
        local seq = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], seq, 'PX', ARGV[6])
        local msg = ARGV[7] .. seq
        redis.call('HSET', msg, 'key', ARGV[1], 'grp', ARGV[2], 'path', ARGV[3], 'body', ARGV[4], 'attempts', '0', 'next_at', ARGV[5], 'lease_until', '0')
        redis.call('ZADD', ARGV[8] .. ARGV[2], seq, seq)
        redis.call('SADD', KEYS[3], ARGV[2])
        redis.call('SADD', KEYS[4], seq)
        return seq
        """;

    // KEYS[1] groups set; ARGV: now, lease-until, max, group prefix, message prefix. Returns flattened message fields.
    private const string ClaimOutboxScript = """
        local claimed = {}
        local count = 0
        for _, grp in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if count >= tonumber(ARGV[3]) then break end
          local head = redis.call('ZRANGE', ARGV[4] .. grp, 0, 0)
          if #head == 0 then
            redis.call('SREM', KEYS[1], grp)
          else
            local msg = ARGV[5] .. head[1]
            local f = redis.call('HMGET', msg, 'key', 'path', 'body', 'attempts', 'next_at', 'lease_until', 'last_error')
            if tonumber(f[5]) <= tonumber(ARGV[1]) and tonumber(f[6] or '0') <= tonumber(ARGV[1]) then
              redis.call('HSET', msg, 'lease_until', ARGV[2])
              count = count + 1
              table.insert(claimed, head[1]); table.insert(claimed, f[1]); table.insert(claimed, grp); table.insert(claimed, f[2])
              table.insert(claimed, f[3]); table.insert(claimed, f[4]); table.insert(claimed, f[5]); table.insert(claimed, f[7] or '')
            end
          end
        end
        return claimed
        """;

    public async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var seq = (long)await db.Db.ScriptEvaluateAsync(
            EnqueueScript,
            [db.Key($"outbox:key:{message.Key}"), db.Key("outbox:seq"), db.Key("outbox:groups"), db.Key("outbox:pending")],
            [message.Key, message.Group, message.Path, message.Body, RedisDatabase.Millis(message.NextAttemptAt), (long)db.EmittedKeyRetention.TotalMilliseconds,
             db.Key("outbox:msg:").ToString(), db.Key("outbox:group:").ToString()]).ConfigureAwait(false);
        return seq > 0;
    }

    public Task<bool> HasOutboxKeyAsync(string key, CancellationToken cancellationToken) => db.Db.KeyExistsAsync(db.Key($"outbox:key:{key}"));

    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await db.Db.ScriptEvaluateAsync(
            ClaimOutboxScript,
            [db.Key("outbox:groups")],
            [RedisDatabase.Millis(now), RedisDatabase.Millis(now + lease), max, db.Key("outbox:group:").ToString(), db.Key("outbox:msg:").ToString()]).ConfigureAwait(false))!;
        var claimed = new List<OutboxMessage>();
        for (var i = 0; i + 7 < result.Length; i += 8)
        {
            claimed.Add(new OutboxMessage
            {
                Sequence = long.Parse((string)result[i]!, CultureInfo.InvariantCulture),
                Key = (string)result[i + 1]!,
                Group = (string)result[i + 2]!,
                Path = (string)result[i + 3]!,
                Body = (string)result[i + 4]!,
                Attempts = int.Parse((string)result[i + 5]!, CultureInfo.InvariantCulture),
                NextAttemptAt = RedisDatabase.FromMillis(long.Parse((string)result[i + 6]!, CultureInfo.InvariantCulture)),
                LastError = (string?)result[i + 7] is { Length: > 0 } error ? error : null,
            });
        }

        return claimed.OrderBy(m => m.Sequence).ToArray();
    }

    public Task ReleaseOutboxAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        db.ReleaseAsync("outbox:msg:", ids, leaseUntil);

    public async Task MarkDeliveredAsync(long sequence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var msg = db.Key($"outbox:msg:{sequence}");
        var group = (string?)await db.Db.HashGetAsync(msg, "grp").ConfigureAwait(false);
        var transaction = db.Db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(db.Key($"outbox:group:{group}"), sequence);
        _ = transaction.SetRemoveAsync(db.Key("outbox:pending"), sequence);
        _ = transaction.KeyDeleteAsync(msg);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task RescheduleAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        var msg = db.Key($"outbox:msg:{sequence}");
        var transaction = db.Db.CreateTransaction();
        _ = transaction.HashSetAsync(msg, [new HashEntry("next_at", RedisDatabase.Millis(nextAttemptAt)), new HashEntry("lease_until", 0), new HashEntry("last_error", error)]);
        _ = transaction.HashIncrementAsync(msg, "attempts");
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task DeadLetterAsync(long sequence, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        var msg = db.Key($"outbox:msg:{sequence}");
        var fields = await db.Db.HashGetAsync(msg, ["grp", "key", "path", "attempts"]).ConfigureAwait(false);
        var dead = db.Key($"outbox:dead:{sequence}");
        var transaction = db.Db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(db.Key($"outbox:group:{fields[0]}"), sequence);
        _ = transaction.SetRemoveAsync(db.Key("outbox:pending"), sequence);
        _ = transaction.KeyDeleteAsync(msg);
        _ = transaction.HashSetAsync(dead,
        [
            new HashEntry("key", fields[1]), new HashEntry("grp", fields[0]), new HashEntry("path", fields[2]),
            new HashEntry("attempts", ((long?)fields[3] ?? 0) + 1), new HashEntry("reason", reason), new HashEntry("at", RedisDatabase.Millis(now)),
        ]);
        _ = transaction.KeyExpireAsync(dead, db.EmittedKeyRetention);
        _ = transaction.SortedSetAddAsync(db.Key("outbox:dead"), sequence, RedisDatabase.Millis(now));
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        foreach (var sequence in await db.Db.SortedSetRangeByRankAsync(db.Key("outbox:dead"), 0, max - 1, Order.Descending).ConfigureAwait(false))
        {
            var fields = await db.Db.HashGetAsync(db.Key($"outbox:dead:{sequence}"), ["key", "grp", "path", "attempts", "reason", "at"]).ConfigureAwait(false);
            if (fields[0].IsNull)
            {
                // Expired with the retention: the index entry goes too.
                await db.Db.SortedSetRemoveAsync(db.Key("outbox:dead"), sequence).ConfigureAwait(false);
                continue;
            }

            letters.Add(new DeadLetter((long)sequence, (string)fields[0]!, (string)fields[1]!, (string)fields[2]!, (int)fields[3], (string)fields[4]!, RedisDatabase.FromMillis((long)fields[5])));
        }

        return letters;
    }

    public async Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken) =>
        (int)await db.Db.SetLengthAsync(db.Key("outbox:pending")).ConfigureAwait(false);
}
