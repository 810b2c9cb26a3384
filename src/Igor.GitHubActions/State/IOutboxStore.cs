namespace Igor.GitHubActions.State;

/// <summary>The Echo outbox: build events emitted once by key, delivered in order per group under a lease.</summary>
internal interface IOutboxStore
{
    /// <summary>Adds a message to the outbox; false when a message with its key exists (it was already emitted).</summary>
    Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>Whether a message with this key was ever emitted.</summary>
    Task<bool> HasOutboxKeyAsync(string key, CancellationToken cancellationToken);

    /// <summary>Claims due messages that head their group (earlier messages of the group delivered), for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back claims a worker took but did not start (it is stopping, or its lease would not cover them), so that any
    /// worker can claim them at once instead of after the lease. Only claims still held under <paramref name="leaseUntil"/>
    /// are released: one that expired and was claimed by another worker meanwhile stays with that worker.
    /// </summary>
    Task ReleaseOutboxAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Marks a message accepted by Echo.</summary>
    Task MarkDeliveredAsync(long sequence, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Schedules another attempt after a failure.</summary>
    Task RescheduleAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>Moves a message Echo refuses for good out of its group's way (the next message goes on), keeping the reason.</summary>
    Task DeadLetterAsync(long sequence, DateTimeOffset now, string reason, CancellationToken cancellationToken);

    /// <summary>The newest messages moved aside, newest first.</summary>
    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken);

    /// <summary>Messages not yet accepted by Echo.</summary>
    Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken);
}
