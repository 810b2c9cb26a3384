namespace Igor.GitHubActions.State;

/// <summary>The build a "Run GitHub workflow" stage started, found again by execution for the stage's cancel call.</summary>
internal sealed record StageRun(string Master, string Job, string ExecutionId, string StageKey, long QueueId);
