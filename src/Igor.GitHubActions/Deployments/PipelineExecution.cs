namespace Igor.GitHubActions.Deployments;

/// <summary>What the service reads of an Orca execution in a pipeline event: little, and only for deployment-triggered ones.</summary>
internal sealed record PipelineExecution(
    string Id,
    string Name,
    string Application,
    string Status,
    string? Repository,
    long? DeploymentId,
    string? EnvironmentUrl,
    long? StartTime,
    long? EndTime,
    string? Environment = null);
