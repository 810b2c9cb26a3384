using System.Globalization;
using StackExchange.Redis;

namespace Igor.GitHubActions.State;

/// <summary>Deliveries and the outbox on Redis: pending sets, per-group ordered sets, claims by Lua script.</summary>
internal sealed partial class RedisStateStore
{
    private const string AddDeliveryScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'event', ARGV[1], 'body', ARGV[2], 'received_at', ARGV[3], 'lease_until', '0')
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
        return 1
        """;

    // KEYS[1] pending zset; ARGV: now, lease-until, max, delivery key prefix. Returns id, event, body, received_at per claim.
    private const string ClaimDeliveriesScript = """
        local claimed = {}
        local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
        for _, id in ipairs(ids) do
          if #claimed >= tonumber(ARGV[3]) * 4 then break end
          local key = ARGV[4] .. id
          local lease = tonumber(redis.call('HGET', key, 'lease_until') or '0')
          if lease <= tonumber(ARGV[1]) then
            redis.call('HSET', key, 'lease_until', ARGV[2])
            local fields = redis.call('HMGET', key, 'event', 'body', 'received_at')
            table.insert(claimed, id)
            table.insert(claimed, fields[1])
            table.insert(claimed, fields[2])
            table.insert(claimed, fields[3])
          end
        end
        return claimed
        """;

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

    public async Task<bool> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var added = (int)await Db.ScriptEvaluateAsync(
            AddDeliveryScript,
            [Key($"delivery:{delivery.Id}"), Key("deliveries:pending")],
            [delivery.Event, delivery.Body, Millis(delivery.ReceivedAt), delivery.Id]).ConfigureAwait(false);
        return added == 1;
    }

    public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        Db.KeyExistsAsync(Key($"delivery:{deliveryId}"));

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            ClaimDeliveriesScript,
            [Key("deliveries:pending")],
            [Millis(now), Millis(now + lease), max, Key("delivery:").ToString()]).ConfigureAwait(false))!;
        var claimed = new List<WebhookDelivery>();
        for (var i = 0; i + 3 < result.Length; i += 4)
        {
            claimed.Add(new WebhookDelivery((string)result[i]!, (string)result[i + 1]!, (string)result[i + 2]!, FromMillis(long.Parse((string)result[i + 3]!, CultureInfo.InvariantCulture))));
        }

        return claimed;
    }

    public async Task CompleteDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = Key($"delivery:{deliveryId}");
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(key, [new HashEntry("processed_at", Millis(now)), new HashEntry("lease_until", 0)]);
        _ = transaction.HashDeleteAsync(key, "body");
        _ = transaction.SortedSetRemoveAsync(Key("deliveries:pending"), deliveryId);
        _ = transaction.KeyExpireAsync(key, DeliveryRetention);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var seq = (long)await Db.ScriptEvaluateAsync(
            EnqueueScript,
            [Key($"outbox:key:{message.Key}"), Key("outbox:seq"), Key("outbox:groups"), Key("outbox:pending")],
            [message.Key, message.Group, message.Path, message.Body, Millis(message.NextAttemptAt), (long)EmittedKeyRetention.TotalMilliseconds,
             Key("outbox:msg:").ToString(), Key("outbox:group:").ToString()]).ConfigureAwait(false);
        return seq > 0;
    }

    public Task<bool> HasOutboxKeyAsync(string key, CancellationToken cancellationToken) => Db.KeyExistsAsync(Key($"outbox:key:{key}"));

    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            ClaimOutboxScript,
            [Key("outbox:groups")],
            [Millis(now), Millis(now + lease), max, Key("outbox:group:").ToString(), Key("outbox:msg:").ToString()]).ConfigureAwait(false))!;
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
                NextAttemptAt = FromMillis(long.Parse((string)result[i + 6]!, CultureInfo.InvariantCulture)),
                LastError = (string?)result[i + 7] is { Length: > 0 } error ? error : null,
            });
        }

        return claimed.OrderBy(m => m.Sequence).ToArray();
    }

    public async Task MarkDeliveredAsync(long sequence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var msg = Key($"outbox:msg:{sequence}");
        var group = (string?)await Db.HashGetAsync(msg, "grp").ConfigureAwait(false);
        var transaction = Db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(Key($"outbox:group:{group}"), sequence);
        _ = transaction.SetRemoveAsync(Key("outbox:pending"), sequence);
        _ = transaction.KeyDeleteAsync(msg);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task RescheduleAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        var msg = Key($"outbox:msg:{sequence}");
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(msg, [new HashEntry("next_at", Millis(nextAttemptAt)), new HashEntry("lease_until", 0), new HashEntry("last_error", error)]);
        _ = transaction.HashIncrementAsync(msg, "attempts");
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task DeadLetterAsync(long sequence, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        var msg = Key($"outbox:msg:{sequence}");
        var fields = await Db.HashGetAsync(msg, ["grp", "key", "path", "attempts"]).ConfigureAwait(false);
        var dead = Key($"outbox:dead:{sequence}");
        var transaction = Db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(Key($"outbox:group:{fields[0]}"), sequence);
        _ = transaction.SetRemoveAsync(Key("outbox:pending"), sequence);
        _ = transaction.KeyDeleteAsync(msg);
        _ = transaction.HashSetAsync(dead,
        [
            new HashEntry("key", fields[1]), new HashEntry("grp", fields[0]), new HashEntry("path", fields[2]),
            new HashEntry("attempts", ((long?)fields[3] ?? 0) + 1), new HashEntry("reason", reason), new HashEntry("at", Millis(now)),
        ]);
        _ = transaction.KeyExpireAsync(dead, EmittedKeyRetention);
        _ = transaction.SortedSetAddAsync(Key("outbox:dead"), sequence, Millis(now));
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        foreach (var sequence in await Db.SortedSetRangeByRankAsync(Key("outbox:dead"), 0, max - 1, Order.Descending).ConfigureAwait(false))
        {
            var fields = await Db.HashGetAsync(Key($"outbox:dead:{sequence}"), ["key", "grp", "path", "attempts", "reason", "at"]).ConfigureAwait(false);
            if (fields[0].IsNull)
            {
                // Expired with the retention: the index entry goes too.
                await Db.SortedSetRemoveAsync(Key("outbox:dead"), sequence).ConfigureAwait(false);
                continue;
            }

            letters.Add(new DeadLetter((long)sequence, (string)fields[0]!, (string)fields[1]!, (string)fields[2]!, (int)fields[3], (string)fields[4]!, FromMillis((long)fields[5])));
        }

        return letters;
    }

    public async Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken) =>
        (int)await Db.SetLengthAsync(Key("outbox:pending")).ConfigureAwait(false);
}
