namespace Igor.GitHubActions.State;

/// <summary>Runs as webhooks told them, the newest kept, so polls need no GitHub request while webhooks flow.</summary>
internal interface IRunSnapshotStore
{
    /// <summary>Keeps the snapshot unless the stored one is newer (higher attempt, later status, later update).</summary>
    Task SaveRunSnapshotAsync(RunSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>The latest webhook-fed snapshot of a run, if any.</summary>
    Task<RunSnapshot?> GetRunSnapshotAsync(long runId, CancellationToken cancellationToken);
}
