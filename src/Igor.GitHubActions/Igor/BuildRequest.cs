namespace Igor.GitHubActions.Igor;

/// <summary>What Orca's start call carries: the parameters, the execution and the stage start time.</summary>
internal sealed record BuildRequest(IReadOnlyDictionary<string, string> Parameters, string? ExecutionId, string StartTime);
