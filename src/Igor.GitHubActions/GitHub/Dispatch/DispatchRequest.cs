namespace Igor.GitHubActions.GitHub.Dispatch;

/// <summary>What a queue item sends to GitHub, stored with the item before the POST leaves (write-ahead).</summary>
internal sealed record DispatchRequest
{
    public const string WorkflowDispatch = "workflow_dispatch";
    public const string RepositoryDispatch = "repository_dispatch";

    /// <summary><see cref="WorkflowDispatch"/> or <see cref="RepositoryDispatch"/>: also the <c>event</c> of the run it starts.</summary>
    public required string Event { get; init; }

    /// <summary>The ref the run is on: the dispatch's <c>ref</c>, or the default branch for a repository_dispatch.</summary>
    public required string Ref { get; init; }

    /// <summary>The workflow inputs, or the repository_dispatch client_payload.</summary>
    public required IReadOnlyDictionary<string, string> Inputs { get; init; }

    /// <summary>The repository_dispatch event type.</summary>
    public string? EventType { get; init; }

    /// <summary>Whether the run's title carries the dispatch id (the workflow has the run-name line).</summary>
    public required bool Correlatable { get; init; }

    /// <summary>Whether to ask GitHub for the run id in the answer (not on GHES before 3.21).</summary>
    public bool ReturnRunDetails { get; init; }
}
