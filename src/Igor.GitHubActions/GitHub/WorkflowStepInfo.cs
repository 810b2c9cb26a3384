namespace Igor.GitHubActions.GitHub;

/// <summary>A step of a job as GitHub lists it.</summary>
internal sealed record WorkflowStepInfo(int Number, string Name, string Status, string? Conclusion);
