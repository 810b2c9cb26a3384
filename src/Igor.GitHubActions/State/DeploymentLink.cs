namespace Igor.GitHubActions.State;

/// <summary>A Spinnaker pipeline execution started for a GitHub deployment (from the trigger Echo built from our webhook body).</summary>
/// <param name="ExecutionId">The pipeline execution's id.</param>
/// <param name="Repository">The deployment's repository, <c>owner/name</c>.</param>
/// <param name="DeploymentId">The GitHub deployment's id.</param>
/// <param name="Application">The Spinnaker application of the execution.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="LinkedAt">When the link was made.</param>
/// <param name="Environment">The deployment's environment (null for links written before it was kept).</param>
internal sealed record DeploymentLink(
    string ExecutionId, string Repository, long DeploymentId, string Application, string Pipeline, DateTimeOffset LinkedAt, string? Environment = null);
