namespace Igor.GitHubActions.State;

/// <summary>A Spinnaker pipeline execution started for a GitHub deployment (from the trigger Echo built from our webhook body).</summary>
internal sealed record DeploymentLink(string ExecutionId, string Repository, long DeploymentId, string Application, string Pipeline, DateTimeOffset LinkedAt);
