namespace Igor.GitHubActions.GitHub.Client;

/// <summary>A step of a job as GitHub lists it.</summary>
internal sealed record WorkflowStepInfo(int Number, string Name, string Status, string? Conclusion);
