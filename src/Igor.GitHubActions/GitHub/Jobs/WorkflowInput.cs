namespace Igor.GitHubActions.GitHub.Jobs;

/// <summary>One <c>on.workflow_dispatch.inputs</c> entry.</summary>
internal sealed record WorkflowInput(
    string Name,
    string Type,
    string? Description,
    bool Required,
    string? Default,
    IReadOnlyList<string> Options);
