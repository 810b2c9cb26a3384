using System.Globalization;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>Webhook deliveries on Redis; adding and claiming are Lua scripts, so two replicas never both win.</summary>
internal sealed class RedisDeliveryLog(RedisDatabase db) : IDeliveryLog
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

    public async Task<bool> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var added = (int)await db.Db.ScriptEvaluateAsync(
            AddDeliveryScript,
            [db.Key($"delivery:{delivery.Id}"), db.Key("deliveries:pending")],
            [delivery.Event, delivery.Body, RedisDatabase.Millis(delivery.ReceivedAt), delivery.Id]).ConfigureAwait(false);
        return added == 1;
    }

    public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        db.Db.KeyExistsAsync(db.Key($"delivery:{deliveryId}"));

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await db.Db.ScriptEvaluateAsync(
            ClaimDeliveriesScript,
            [db.Key("deliveries:pending")],
            [RedisDatabase.Millis(now), RedisDatabase.Millis(now + lease), max, db.Key("delivery:").ToString()]).ConfigureAwait(false))!;
        var claimed = new List<WebhookDelivery>();
        for (var i = 0; i + 3 < result.Length; i += 4)
        {
            claimed.Add(new WebhookDelivery((string)result[i]!, (string)result[i + 1]!, (string)result[i + 2]!, RedisDatabase.FromMillis(long.Parse((string)result[i + 3]!, CultureInfo.InvariantCulture))));
        }

        return claimed;
    }

    public Task ReleaseDeliveriesAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        db.ReleaseAsync("delivery:", ids, leaseUntil);

    public async Task CompleteDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = db.Key($"delivery:{deliveryId}");
        var transaction = db.Db.CreateTransaction();
        _ = transaction.HashSetAsync(key, [new HashEntry("processed_at", RedisDatabase.Millis(now)), new HashEntry("lease_until", 0)]);
        _ = transaction.HashDeleteAsync(key, "body");
        _ = transaction.SortedSetRemoveAsync(db.Key("deliveries:pending"), deliveryId);
        _ = transaction.KeyExpireAsync(key, db.DeliveryRetention);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }
}
