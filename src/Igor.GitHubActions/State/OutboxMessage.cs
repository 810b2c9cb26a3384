namespace Igor.GitHubActions.State;

/// <summary>
/// A message for Echo, kept until Echo accepts it. <see cref="Key"/> makes it unique (one build event per run
/// attempt); messages of one <see cref="Group"/> (a job) are delivered in order.
/// </summary>
internal sealed record OutboxMessage
{
    public long Sequence { get; init; }

    public required string Key { get; init; }

    public required string Group { get; init; }

    /// <summary>The path on Echo, e.g. <c>/</c> for build events or <c>/webhooks/webhook/github-deployment</c>.</summary>
    public required string Path { get; init; }

    public required string Body { get; init; }

    public int Attempts { get; init; }

    public required DateTimeOffset NextAttemptAt { get; init; }

    public string? LastError { get; init; }
}
