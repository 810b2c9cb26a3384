namespace Igor.GitHubActions.State.Redis;

/// <summary>The runs and deployments custom stages started, on Redis.</summary>
internal sealed class RedisStageRuns(RedisDatabase db) : IStageRuns
{
    public async Task RecordStageRunAsync(StageRun run, CancellationToken cancellationToken) =>
        await db.Db.StringSetAsync(db.Key($"stagerun:{run.Master}:{run.Job}:{run.ExecutionId}:{run.StageKey}"), run.QueueId, db.DeploymentRetention)
            .ConfigureAwait(false);

    public async Task<StageRun?> FindStageRunAsync(string master, string job, string executionId, string stageKey, CancellationToken cancellationToken)
    {
        var value = await db.Db.StringGetAsync(db.Key($"stagerun:{master}:{job}:{executionId}:{stageKey}")).ConfigureAwait(false);
        return value.IsNull ? null : new StageRun(master, job, executionId, stageKey, (long)value);
    }
}
