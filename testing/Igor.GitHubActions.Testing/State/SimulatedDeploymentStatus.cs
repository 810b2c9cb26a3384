namespace Igor.GitHubActions.Testing;

/// <summary>A status of a deployment.</summary>
public sealed record SimulatedDeploymentStatus(
    long Id,
    long DeploymentId,
    string State,
    string Description,
    string Environment,
    string TargetUrl,
    string LogUrl,
    string EnvironmentUrl,
    Account Creator,
    SimulatedApp? PerformedViaApp,
    DateTimeOffset CreatedAt);
