using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Stages;

/// <summary>
/// What "Run GitHub workflow" answers, at its start and on each poll. Orca's webhook stage reads <c>$.statusUrl</c>
/// (the start), <c>$.status</c> (QUEUED, RUNNING, then SUCCESS, FAILURE, ABORTED or UNSTABLE) and shows <c>$.message</c>
/// (see <c>samples/orca-local.yml</c>); the rest is there for the pipeline's expressions.
/// </summary>
internal sealed record WorkflowStageAnswer(string Status, string Message, string Master, string Job, long QueueId)
{
    public string? StatusUrl { get; init; }

    public string? CancelUrl { get; init; }

    public int? RunNumber { get; init; }

    public long? RunId { get; init; }

    public string? Url { get; init; }

    /// <summary>The finished run's properties, as the Jenkins stage reads them.</summary>
    public JsonObject? Properties { get; init; }
}

/// <summary>What a workflow stage's cancel answers: whether a cancel was asked of GitHub, and why not when it was not.</summary>
internal sealed record StageCancelAnswer(bool Canceled, string Message);

/// <summary>"Create GitHub deployment": the deployment created (201), or found created by the same stage attempt before (200).</summary>
internal sealed record DeploymentStageAnswer(string Status, long DeploymentId, string Repository, string Environment, string Ref, string Message);

/// <summary>"Set GitHub deployment status": the status written.</summary>
internal sealed record DeploymentStatusStageAnswer(string Status, long DeploymentId, string State, string Message);

/// <summary>"Set GitHub commit status": the status written.</summary>
internal sealed record CommitStatusStageAnswer(string Status, string Sha, string State, string Context, string Message);
