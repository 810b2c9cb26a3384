using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>Deployment statuses for GitHub on Redis, in order per execution; enqueue and claim are Lua scripts.</summary>
internal sealed class RedisDeploymentStatuses(RedisDatabase db) : IDeploymentStatusQueue
{
    // KEYS: key marker, seq counter, final-time, group zset, pending zset, groups set. ARGV: json, final, event time, next_at, retention ms, message prefix, group.
    private const string EnqueueStatusScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if ARGV[2] == '1' then
          local last = redis.call('GET', KEYS[3])
          if last and tonumber(last) >= tonumber(ARGV[3]) then return 0 end
          redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[5])
        end
        local seq = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], seq, 'PX', ARGV[5])
        redis.call('HSET', ARGV[6] .. seq, 'json', ARGV[1], 'attempts', '0', 'next_at', ARGV[4], 'lease_until', '0')
        redis.call('PEXPIRE', ARGV[6] .. seq, ARGV[5])
        redis.call('ZADD', KEYS[4], seq, seq)
        redis.call('PEXPIRE', KEYS[4], ARGV[5])
        redis.call('ZADD', KEYS[5], seq, seq)
        redis.call('SADD', KEYS[6], ARGV[7])
        return seq
        """;

    // KEYS[1] groups set; ARGV: now, lease-until, max, pending prefix, message prefix.
    private const string ClaimStatusesScript = """
        local claimed = {}
        for _, grp in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if #claimed >= tonumber(ARGV[3]) * 2 then break end
          local head = redis.call('ZRANGE', ARGV[4] .. grp, 0, 0)
          if #head == 0 then
            redis.call('SREM', KEYS[1], grp)
          else
            local msg = ARGV[5] .. head[1]
            local f = redis.call('HMGET', msg, 'next_at', 'lease_until')
            if tonumber(f[1]) <= tonumber(ARGV[1]) and tonumber(f[2] or '0') <= tonumber(ARGV[1]) then
              redis.call('HSET', msg, 'lease_until', ARGV[2])
              table.insert(claimed, head[1]); table.insert(claimed, grp)
            end
          end
        end
        return claimed
        """;

    public async Task<bool> EnqueueDeploymentStatusAsync(DeploymentStatusMessage message, CancellationToken cancellationToken)
    {
        var seq = (long)await db.Db.ScriptEvaluateAsync(
            EnqueueStatusScript,
            [db.Key($"depstatus:key:{message.Key}"), db.Key("depstatus:seq"), db.Key($"depstatus:final:{message.Group}"), db.Key($"depstatus:all:{message.Group}"),
             db.Key($"depstatus:pending:{message.Group}"), db.Key("depstatus:groups")],
            [JsonSerializer.Serialize(message), message.Final ? "1" : "0", message.EventTime, RedisDatabase.Millis(message.NextAttemptAt),
             (long)db.DeploymentRetention.TotalMilliseconds, db.Key("depstatus:msg:").ToString(), message.Group]).ConfigureAwait(false);
        return seq > 0;
    }

    public async Task<IReadOnlyList<DeploymentStatusMessage>> ClaimDeploymentStatusesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await db.Db.ScriptEvaluateAsync(
            ClaimStatusesScript,
            [db.Key("depstatus:groups")],
            [RedisDatabase.Millis(now), RedisDatabase.Millis(now + lease), max, db.Key("depstatus:pending:").ToString(), db.Key("depstatus:msg:").ToString()]).ConfigureAwait(false))!;
        var claimed = new List<DeploymentStatusMessage>();
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            if (await ReadStatusAsync(long.Parse((string)result[i]!, CultureInfo.InvariantCulture)).ConfigureAwait(false) is { } message)
            {
                claimed.Add(message);
            }
        }

        return claimed.OrderBy(m => m.Sequence).ToArray();
    }

    public Task ReleaseDeploymentStatusesAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        db.ReleaseAsync("depstatus:msg:", ids, leaseUntil);

    public async Task CompleteDeploymentStatusAsync(long sequence, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var msg = db.Key($"depstatus:msg:{sequence}");
        var message = await ReadStatusAsync(sequence).ConfigureAwait(false);
        var transaction = db.Db.CreateTransaction();
        _ = transaction.HashSetAsync(msg, [new HashEntry("outcome", outcome), new HashEntry("last_error", error ?? ""), new HashEntry("lease_until", 0), new HashEntry("done_at", RedisDatabase.Millis(now))]);
        _ = transaction.HashIncrementAsync(msg, "attempts");
        if (message is not null)
        {
            _ = transaction.SortedSetRemoveAsync(db.Key($"depstatus:pending:{message.Group}"), sequence);
        }

        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task RescheduleDeploymentStatusAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        var msg = db.Key($"depstatus:msg:{sequence}");
        var transaction = db.Db.CreateTransaction();
        _ = transaction.HashSetAsync(msg, [new HashEntry("next_at", RedisDatabase.Millis(nextAttemptAt)), new HashEntry("lease_until", 0), new HashEntry("last_error", error)]);
        _ = transaction.HashIncrementAsync(msg, "attempts");
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeploymentStatusMessage>> ListDeploymentStatusesAsync(string executionId, CancellationToken cancellationToken)
    {
        var sequences = await db.Db.SortedSetRangeByRankAsync(db.Key($"depstatus:all:{executionId}")).ConfigureAwait(false);
        var messages = new List<DeploymentStatusMessage>();
        foreach (var sequence in sequences)
        {
            if (await ReadStatusAsync((long)sequence).ConfigureAwait(false) is { } message)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    private async Task<DeploymentStatusMessage?> ReadStatusAsync(long sequence)
    {
        var fields = await db.Db.HashGetAsync(db.Key($"depstatus:msg:{sequence}"), ["json", "attempts", "next_at", "last_error", "outcome"]).ConfigureAwait(false);
        if (fields[0].IsNull)
        {
            return null;
        }

        return JsonSerializer.Deserialize<DeploymentStatusMessage>((string)fields[0]!)! with
        {
            Sequence = sequence,
            Attempts = (int)fields[1],
            NextAttemptAt = RedisDatabase.FromMillis(long.Parse((string)fields[2]!, CultureInfo.InvariantCulture)),
            LastError = (string?)fields[3] is { Length: > 0 } error ? error : null,
            Outcome = (string?)fields[4] is { Length: > 0 } outcome ? outcome : null,
        };
    }
}
