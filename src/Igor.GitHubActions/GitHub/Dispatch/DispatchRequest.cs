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

    /// <summary>The Spinnaker execution that asked for the run (the first part of <c>X-SPINNAKER-EXECUTION-ID</c>).</summary>
    public string? ExecutionId { get; init; }

    /// <summary>
    /// The GitHub deployment that triggered that execution, when one did: a deployment the run itself creates for the
    /// same repository and environment is not forwarded, or the pipeline would trigger itself forever.
    /// </summary>
    public DeploymentOrigin? TriggeredBy { get; init; }
}

/// <summary>The deployment a pipeline execution was started for.</summary>
/// <param name="Repository">Its repository, <c>owner/name</c>.</param>
/// <param name="Environment">Its environment, when known.</param>
/// <param name="DeploymentId">Its id.</param>
internal sealed record DeploymentOrigin(string Repository, string? Environment, long DeploymentId);
