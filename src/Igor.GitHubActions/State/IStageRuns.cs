namespace Igor.GitHubActions.State;

/// <summary>The build or deployment each custom stage started, so a retried or cancelled stage finds it.</summary>
internal interface IStageRuns
{
    /// <summary>Records the build a workflow stage started; a later attempt of the stage (a restart) replaces it.</summary>
    Task RecordStageRunAsync(StageRun run, CancellationToken cancellationToken);

    /// <summary>The build a workflow stage started, or null.</summary>
    Task<StageRun?> FindStageRunAsync(string master, string job, string executionId, string stageKey, CancellationToken cancellationToken);
}
