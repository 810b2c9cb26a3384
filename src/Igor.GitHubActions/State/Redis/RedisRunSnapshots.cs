using System.Globalization;

namespace Igor.GitHubActions.State.Redis;

/// <summary>Webhook-fed run snapshots on Redis; the script keeps the newest.</summary>
internal sealed class RedisRunSnapshots(RedisDatabase db) : IRunSnapshotStore
{
    private const string SaveSnapshotScript = """
        local cur = redis.call('HMGET', KEYS[1], 'attempt', 'rank', 'updated_at')
        if cur[1] then
          local a, r, u = tonumber(cur[1]), tonumber(cur[2]), tonumber(cur[3])
          local na, nr, nu = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
          if na < a or (na == a and (nr < r or (nr == r and nu < u))) then return 0 end
        end
        redis.call('HSET', KEYS[1], 'json', ARGV[1], 'attempt', ARGV[2], 'rank', ARGV[3], 'updated_at', ARGV[4], 'received_at', ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        return 1
        """;

    public async Task SaveRunSnapshotAsync(RunSnapshot snapshot, CancellationToken cancellationToken) =>
        await db.Db.ScriptEvaluateAsync(
            SaveSnapshotScript,
            [db.Key($"runsnap:{snapshot.RunId}")],
            [snapshot.Json, snapshot.Attempt, snapshot.StatusRank, RedisDatabase.Millis(snapshot.UpdatedAt), RedisDatabase.Millis(snapshot.ReceivedAt), (long)db.SnapshotRetention.TotalMilliseconds])
            .ConfigureAwait(false);

    public async Task<RunSnapshot?> GetRunSnapshotAsync(long runId, CancellationToken cancellationToken)
    {
        var fields = await db.Db.HashGetAsync(db.Key($"runsnap:{runId}"), ["json", "attempt", "rank", "updated_at", "received_at"]).ConfigureAwait(false);
        if (fields[0].IsNull)
        {
            return null;
        }

        return new RunSnapshot(
            runId, (string)fields[0]!, (int)fields[1], (int)fields[2],
            RedisDatabase.FromMillis(long.Parse((string)fields[3]!, CultureInfo.InvariantCulture)), RedisDatabase.FromMillis(long.Parse((string)fields[4]!, CultureInfo.InvariantCulture)));
    }
}
