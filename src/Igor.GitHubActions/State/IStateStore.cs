namespace Igor.GitHubActions.State;

/// <summary>State that must survive a restart and be shared by replicas: queue items and run numbers.</summary>
internal interface IStateStore
{
    /// <summary>
    /// Atomically returns the item already filed under the idempotency key, or files <paramref name="candidate"/>
    /// under a new queue id. <c>Created</c> says which happened.
    /// </summary>
    Task<(QueueItem Item, bool Created)> GetOrCreateQueueItemAsync(QueueItem candidate, CancellationToken cancellationToken);

    /// <summary>The item with this queue id, or null when this service never issued it.</summary>
    Task<QueueItem?> GetQueueItemAsync(long queueId, CancellationToken cancellationToken);

    /// <summary>Replaces the stored item (same id).</summary>
    Task UpdateQueueItemAsync(QueueItem item, CancellationToken cancellationToken);

    /// <summary>Items that still wait for their run (Dispatched), or for a cancel to be carried out.</summary>
    Task<IReadOnlyList<QueueItem>> ListOpenQueueItemsAsync(CancellationToken cancellationToken);

    /// <summary>Records run number → run id; re-recording the same pair is harmless.</summary>
    Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken);

    /// <summary>The run id of a run number of a job, when known.</summary>
    Task<long?> FindRunIdAsync(string master, string job, int runNumber, CancellationToken cancellationToken);
}
