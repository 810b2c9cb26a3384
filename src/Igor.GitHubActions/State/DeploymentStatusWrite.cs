namespace Igor.GitHubActions.State;

/// <summary>
/// What the deployment-status queue carries: one status for a GitHub deployment, as the request <see cref="Body"/>
/// (JSON). Its key is once-only (execution and state); its group an execution, whose statuses are written in order.
/// </summary>
internal sealed record DeploymentStatusWrite(string Repository, long DeploymentId, string State, string Body);
