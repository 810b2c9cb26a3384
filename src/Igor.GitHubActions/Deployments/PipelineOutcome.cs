namespace Igor.GitHubActions.Deployments;

/// <summary>What a pipeline event says about its execution.</summary>
internal enum PipelineOutcome
{
    Starting,
    Succeeded,
    Failed,
    Canceled,
}
