namespace Igor.GitHubActions.GitHub.Dispatch;

/// <summary>What a workflow_dispatch answered: the run id when GitHub returned run details.</summary>
internal sealed record DispatchOutcome(long? RunId, bool RunDetailsRefused);
