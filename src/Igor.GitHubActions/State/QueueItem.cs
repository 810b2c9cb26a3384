namespace Igor.GitHubActions.State;

/// <summary>One start request from Orca: issued a queue id before GitHub is called, resolved to a run later.</summary>
internal sealed record QueueItem
{
    public long Id { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string Master { get; init; }

    public required string Job { get; init; }

    public required QueueItemState State { get; init; }

    /// <summary>The id passed to the workflow (input or client_payload) and looked for in the run's title.</summary>
    public required string DispatchId { get; init; }

    public long? RunId { get; init; }

    public int? RunNumber { get; init; }

    /// <summary>For a failed item: the status and message the start call answered, replayed to retries.</summary>
    public int? ErrorStatus { get; init; }

    public string? Error { get; init; }

    public bool CancelRequested { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DispatchedAt { get; init; }

    /// <summary>While Dispatching: until when the dispatching replica holds it.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}
