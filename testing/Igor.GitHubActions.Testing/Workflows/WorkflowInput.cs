namespace Igor.GitHubActions.Testing.Workflows;

/// <summary>A <c>workflow_dispatch</c> input declared in a workflow file.</summary>
internal sealed record WorkflowInput(string Name, bool Required, string? Default, string Type, IReadOnlyList<string> Options);
