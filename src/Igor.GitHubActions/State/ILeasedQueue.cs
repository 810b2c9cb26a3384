namespace Igor.GitHubActions.State;

/// <summary>
/// A durable queue of work items, each done once: an item is added once by its key, claimed by one worker at a time
/// under a lease, and finished (completed, rescheduled, moved aside, given back) only by the claim that holds it.
/// Items of one group are handed out in the order they were added, one at a time (the head waits until it is done); a
/// claim that expires is claimed again. The Echo outbox and the deployment statuses are queues of this kind.
/// </summary>
/// <typeparam name="T">What an item carries.</typeparam>
internal interface ILeasedQueue<T>
{
    /// <summary>
    /// Adds an item; false when its key was added before (it was already emitted), or when it is final and its group
    /// already has a final item at a version at least as new (a repeated or out-of-order event).
    /// </summary>
    Task<bool> EnqueueAsync(NewLeasedItem<T> item, CancellationToken cancellationToken);

    /// <summary>Whether an item with this key was ever added (kept at least as long as its source may send it again).</summary>
    Task<bool> ContainsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> due items that head their group, for <paramref name="lease"/> from <paramref name="now"/>.</summary>
    Task<IReadOnlyList<LeasedItem<T>>> ClaimAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back claims a worker took but did not start (it is stopping, or its lease would not cover them), so that any
    /// worker can claim them at once instead of after the lease. A claim that expired and was taken by another worker
    /// meanwhile stays with that worker.
    /// </summary>
    Task ReleaseAsync(IReadOnlyCollection<LeasedItem<T>> claimed, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a claimed item done with <paramref name="outcome"/> (and the error that decided it, if any); the next item of
    /// its group goes on. False, and nothing written, when the claim no longer holds (another worker took the item).
    /// </summary>
    Task<bool> CompleteAsync(LeasedItem<T> claimed, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Schedules another attempt of a claimed item at <paramref name="dueAt"/>; it keeps its place. False when the claim no longer holds.</summary>
    Task<bool> RescheduleAsync(LeasedItem<T> claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);

    /// <summary>Moves a claimed item refused for good out of its group's way (outcome <see cref="LeasedItem{T}.DeadLettered"/>), keeping the reason. False when the claim no longer holds.</summary>
    Task<bool> DeadLetterAsync(LeasedItem<T> claimed, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The items of a group still kept, in order, done or not.</summary>
    Task<IReadOnlyList<LeasedItem<T>>> ListGroupAsync(string group, CancellationToken cancellationToken);

    /// <summary>The newest items moved aside, newest first.</summary>
    Task<IReadOnlyList<LeasedItem<T>>> ListDeadLettersAsync(int max, CancellationToken cancellationToken);

    /// <summary>Items not yet done.</summary>
    Task<int> CountPendingAsync(CancellationToken cancellationToken);
}
