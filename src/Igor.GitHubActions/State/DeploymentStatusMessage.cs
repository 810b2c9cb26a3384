namespace Igor.GitHubActions.State;

/// <summary>
/// A deployment status waiting to be written to GitHub. <see cref="Key"/> (execution and state) makes it once-only;
/// messages of one <see cref="Group"/> (an execution) are sent in order.
/// </summary>
internal sealed record DeploymentStatusMessage
{
    public long Sequence { get; init; }

    public required string Key { get; init; }

    public required string Group { get; init; }

    public required string Repository { get; init; }

    public required long DeploymentId { get; init; }

    public required string State { get; init; }

    /// <summary>The GitHub request body (JSON).</summary>
    public required string Body { get; init; }

    /// <summary>Whether this status ends the execution (a later, older event of the execution is then stale).</summary>
    public bool Final { get; init; }

    /// <summary>When the event happened (epoch ms): the execution's end time for a final status.</summary>
    public long EventTime { get; init; }

    public int Attempts { get; init; }

    public required DateTimeOffset NextAttemptAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>Null while pending; <c>sent</c> or <c>refused</c> once done.</summary>
    public string? Outcome { get; init; }
}
