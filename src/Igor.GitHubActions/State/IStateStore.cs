namespace Igor.GitHubActions.State;

/// <summary>State that must survive a restart and be shared by replicas (queue items are <see cref="IQueueItems"/>): run numbers, webhook deliveries, the Echo outbox.</summary>
internal interface IStateStore
{
    /// <summary>Records run number → run id; re-recording the same pair is harmless.</summary>
    Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken);

    /// <summary>The run id of a run number of a job, when known.</summary>
    Task<long?> FindRunIdAsync(string master, string job, int runNumber, CancellationToken cancellationToken);

    /// <summary>Stores a webhook delivery; false when a delivery with this id was already accepted (a redelivery).</summary>
    Task<bool> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Whether a delivery id was already accepted.</summary>
    Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> unprocessed deliveries for <paramref name="lease"/>; a claim that expires is claimed again.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back claims a worker took but did not start (it is stopping, or its lease would not cover them), so that any
    /// worker can claim them at once instead of after the lease. Only claims still held under <paramref name="leaseUntil"/>
    /// are released: one that expired and was claimed by another worker meanwhile stays with that worker.
    /// </summary>
    Task ReleaseClaimsAsync(ClaimKind kind, IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Marks a delivery processed.</summary>
    Task CompleteDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds a message to the outbox; false when a message with its key exists (it was already emitted).</summary>
    Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>Whether a message with this key was ever emitted.</summary>
    Task<bool> HasOutboxKeyAsync(string key, CancellationToken cancellationToken);

    /// <summary>Claims due messages that head their group (earlier messages of the group delivered), for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

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

    /// <summary>Keeps the snapshot unless the stored one is newer (higher attempt, later status, later update).</summary>
    Task SaveRunSnapshotAsync(RunSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>The latest webhook-fed snapshot of a run, if any.</summary>
    Task<RunSnapshot?> GetRunSnapshotAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Links an execution to the deployment that triggered it; the first link of an execution is kept.</summary>
    Task LinkDeploymentAsync(DeploymentLink link, CancellationToken cancellationToken);

    /// <summary>The deployment an execution was started for, or null.</summary>
    Task<DeploymentLink?> GetDeploymentLinkAsync(string executionId, CancellationToken cancellationToken);

    /// <summary>
    /// Files a deployment status; false when its key was filed before, or when it is final and the execution already has
    /// a final status from an event at least as recent (a repeated or out-of-order event).
    /// </summary>
    Task<bool> EnqueueDeploymentStatusAsync(DeploymentStatusMessage message, CancellationToken cancellationToken);

    /// <summary>Claims due statuses that head their execution (earlier ones done), for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<DeploymentStatusMessage>> ClaimDeploymentStatusesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks a status done: <c>sent</c>, or <c>refused</c> by GitHub with <paramref name="error"/> (never retried).</summary>
    Task CompleteDeploymentStatusAsync(long sequence, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Schedules another attempt after a transient failure.</summary>
    Task RescheduleDeploymentStatusAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>The statuses filed for an execution, in order.</summary>
    Task<IReadOnlyList<DeploymentStatusMessage>> ListDeploymentStatusesAsync(string executionId, CancellationToken cancellationToken);

    /// <summary>Records the build a workflow stage started; a later attempt of the stage (a restart) replaces it.</summary>
    Task RecordStageRunAsync(StageRun run, CancellationToken cancellationToken);

    /// <summary>The build a workflow stage started, or null.</summary>
    Task<StageRun?> FindStageRunAsync(string master, string job, string executionId, string stageKey, CancellationToken cancellationToken);
}
