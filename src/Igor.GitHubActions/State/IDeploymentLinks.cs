namespace Igor.GitHubActions.State;

/// <summary>Which GitHub deployment started a pipeline execution.</summary>
internal interface IDeploymentLinks
{
    /// <summary>Links an execution to the deployment that triggered it; the first link of an execution is kept.</summary>
    Task LinkDeploymentAsync(DeploymentLink link, CancellationToken cancellationToken);

    /// <summary>The deployment an execution was started for, or null.</summary>
    Task<DeploymentLink?> GetDeploymentLinkAsync(string executionId, CancellationToken cancellationToken);
}
