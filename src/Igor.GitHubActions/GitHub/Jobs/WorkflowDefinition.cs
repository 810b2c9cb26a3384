namespace Igor.GitHubActions.GitHub.Jobs;

/// <summary>What the service needs from a workflow file: how it is started and what it takes.</summary>
internal sealed record WorkflowDefinition(
    string? Name,
    string? RunName,
    bool HasWorkflowDispatch,
    IReadOnlyList<WorkflowInput> Inputs,
    bool HasRepositoryDispatch,
    IReadOnlyList<string> RepositoryDispatchTypes,
    IReadOnlyList<string> ClientPayloadKeys)
{
    public bool IsDispatchable => HasWorkflowDispatch || HasRepositoryDispatch;
}
