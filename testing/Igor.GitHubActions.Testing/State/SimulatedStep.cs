namespace Igor.GitHubActions.Testing;

/// <summary>A step of a job.</summary>
public sealed record SimulatedStep(string Name, int Number, string Status, string? Conclusion, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);
