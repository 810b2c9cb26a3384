namespace Igor.GitHubActions.GitHub.Client;

/// <summary>A job of a run attempt with its steps; status and conclusion stay open strings.</summary>
internal sealed record WorkflowJobInfo(
    long Id, string Name, string Status, string? Conclusion, string HtmlUrl, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<WorkflowStepInfo> Steps);
