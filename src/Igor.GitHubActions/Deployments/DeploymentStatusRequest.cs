namespace Igor.GitHubActions.Deployments;

/// <summary>A deployment status to write (GitHub states: error, failure, inactive, in_progress, queued, pending, success).</summary>
internal sealed record DeploymentStatusRequest(
    string State,
    string? Description,
    string? LogUrl,
    string? EnvironmentUrl,
    string? Environment,
    bool? AutoInactive);
