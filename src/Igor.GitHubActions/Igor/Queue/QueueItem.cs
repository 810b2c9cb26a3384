namespace Igor.GitHubActions.Igor.Queue;

/// <summary>One start request from Orca: issued a queue id before GitHub is called, resolved to a run later.</summary>
internal sealed record QueueItem
{
    public long Id { get; init; }

    /// <summary>Bumped by every write; a write carries the version it read and loses when another writer came first.</summary>
    public long Version { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string Master { get; init; }

    public required string Job { get; init; }

    public required QueueItemState State { get; init; }

    /// <summary>The id passed to the workflow (input or client_payload) and looked for in the run's title.</summary>
    public required string DispatchId { get; init; }

    /// <summary>What is (or was) sent to GitHub, as JSON (<see cref="GitHub.Dispatch.DispatchRequest"/>); written before the POST.</summary>
    public string? Request { get; init; }

    /// <summary>How many times the dispatch POST was started (more than one only after GitHub was shown to have no run).</summary>
    public int Attempts { get; init; }

    /// <summary>When the current attempt's POST was started: the start of the window a lost answer's run is looked for in.</summary>
    public DateTimeOffset? AttemptStartedAt { get; init; }

    public long? RunId { get; init; }

    public int? RunNumber { get; init; }

    /// <summary>For a failed item: the status and message the start call answered, replayed to retries.</summary>
    public int? ErrorStatus { get; init; }

    public string? Error { get; init; }

    /// <summary>Set only by a stop request, never cleared: no other writer can drop it.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The cancel was carried out on GitHub.</summary>
    public bool CancelSent { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When GitHub accepted the dispatch.</summary>
    public DateTimeOffset? DispatchedAt { get; init; }

    /// <summary>While Claimed or Sending: until when the request (or recovery) holding it owns it; null when released.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Whether the item still needs the background processor: a run to find, an outcome to learn, a cancel to send.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsOpen => State is QueueItemState.Claimed or QueueItemState.Sending or QueueItemState.Sent ||
                          (State == QueueItemState.Resolved && CancelRequested && !CancelSent);
}
