namespace Igor.GitHubActions.State;

/// <summary>Deployment statuses filed once by key, written to GitHub in order per execution under a lease.</summary>
internal interface IDeploymentStatusQueue
{
    /// <summary>
    /// Files a deployment status; false when its key was filed before, or when it is final and the execution already has
    /// a final status from an event at least as recent (a repeated or out-of-order event).
    /// </summary>
    Task<bool> EnqueueDeploymentStatusAsync(DeploymentStatusMessage message, CancellationToken cancellationToken);

    /// <summary>Claims due statuses that head their execution (earlier ones done), for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<DeploymentStatusMessage>> ClaimDeploymentStatusesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back claims a worker took but did not start (it is stopping, or its lease would not cover them), so that any
    /// worker can claim them at once instead of after the lease. Only claims still held under <paramref name="leaseUntil"/>
    /// are released: one that expired and was claimed by another worker meanwhile stays with that worker.
    /// </summary>
    Task ReleaseDeploymentStatusesAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Marks a status done: <c>sent</c>, or <c>refused</c> by GitHub with <paramref name="error"/> (never retried).</summary>
    Task CompleteDeploymentStatusAsync(long sequence, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Schedules another attempt after a transient failure.</summary>
    Task RescheduleDeploymentStatusAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>The statuses filed for an execution, in order.</summary>
    Task<IReadOnlyList<DeploymentStatusMessage>> ListDeploymentStatusesAsync(string executionId, CancellationToken cancellationToken);
}
