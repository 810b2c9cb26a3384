namespace Igor.GitHubActions.Igor.Queue;

/// <summary>
/// Queue items, written compare-and-set: every write names the version it read, and a write against a newer version
/// is refused, so two writers (requests, replicas, the background processor) can never both win a transition.
/// </summary>
internal interface IQueueItems
{
    /// <summary>
    /// Atomically returns the item already filed under the idempotency key, or files <paramref name="candidate"/>
    /// under a new queue id at version 1. <c>Created</c> says which happened.
    /// </summary>
    Task<(QueueItem Item, bool Created)> GetOrCreateAsync(QueueItem candidate, CancellationToken cancellationToken);

    /// <summary>The item with this queue id, or null when this service never issued it.</summary>
    Task<QueueItem?> GetAsync(long queueId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="item"/> if the stored version is still <c>item.Version</c>; answers the stored item (one
    /// version on) or null when another writer came first. <see cref="QueueItem.CancelRequested"/> is never written here.
    /// </summary>
    Task<QueueItem?> TryUpdateAsync(QueueItem item, CancellationToken cancellationToken);

    /// <summary>Sets the item's cancel request (whatever its version); answers the item as stored after it, or null.</summary>
    Task<QueueItem?> RequestCancelAsync(long queueId, CancellationToken cancellationToken);

    /// <summary>
    /// A master's open items (<see cref="QueueItem.IsOpen"/>), oldest first, at most 1,000: each master has its own
    /// window, so one master's backlog never starves another's.
    /// </summary>
    Task<IReadOnlyList<QueueItem>> ListOpenAsync(string master, CancellationToken cancellationToken);

    /// <summary>The item that followed this run, if any: a run belongs to one item.</summary>
    Task<QueueItem?> FindByRunIdAsync(long runId, CancellationToken cancellationToken);
}
