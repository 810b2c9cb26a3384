using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>Run number → run id on Redis: a hash per job, and the entries by time for retention.</summary>
internal sealed class RedisRunIndex(RedisDatabase db) : IRunIndex
{
    // KEYS: the job's run index, the index entries by time (for retention). ARGV: member prefix (master \n job \n), then
    // number, run id pairs. Times are Redis's own clock.
    private const string RecordRunsScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for i = 2, #ARGV, 2 do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
          redis.call('ZADD', KEYS[2], now, ARGV[1] .. ARGV[i])
        end
        return 0
        """;

    public async Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken)
    {
        foreach (var group in runs.GroupBy(r => (r.Master, r.Job)))
        {
            RedisValue[] values = [$"{group.Key.Master}\n{group.Key.Job}\n", .. group.SelectMany(r => new RedisValue[] { r.RunNumber, r.RunId })];
            await db.Db.ScriptEvaluateAsync(RecordRunsScript, [db.Key($"runs:{group.Key.Master}:{group.Key.Job}"), db.Key("runs:recorded")], values).ConfigureAwait(false);
        }
    }

    public async Task<long?> FindRunIdAsync(string master, string job, int runNumber, CancellationToken cancellationToken)
    {
        var value = await db.Db.HashGetAsync(db.Key($"runs:{master}:{job}"), runNumber).ConfigureAwait(false);
        return value.IsNull ? null : (long)value;
    }
}
