namespace Igor.GitHubActions.Testing;

/// <summary>The state of a finished attempt, for <c>GET …/runs/{id}/attempts/{n}</c>.</summary>
internal sealed record RunAttemptSnapshot(int Attempt, string Status, string? Conclusion, DateTimeOffset RunStartedAt, DateTimeOffset UpdatedAt, Account TriggeringActor);
