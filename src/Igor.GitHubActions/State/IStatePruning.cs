namespace Igor.GitHubActions.State;

/// <summary>What the store lets go of once its use is over (<see cref="StateOptions.Retention"/>); live items are never pruned.</summary>
internal interface IStatePruning
{
    /// <summary>Prunes in batches of <see cref="PrunePolicy.BatchSize"/> until nothing older is left; answers what went.</summary>
    Task<PruneResult> PruneAsync(PrunePolicy policy, CancellationToken cancellationToken);
}

/// <param name="Before">Finished items, delivery bodies, delivered events, snapshots and links older than this go.</param>
/// <param name="DeliveryIdsBefore">Delivery ids (kept for dedupe while GitHub can redeliver) older than this go.</param>
/// <param name="BatchSize">Rows (or keys) per statement, so pruning never holds the store for long.</param>
internal sealed record PrunePolicy(DateTimeOffset Before, DateTimeOffset DeliveryIdsBefore, int BatchSize = 500);

/// <summary>How much of each kind was pruned.</summary>
internal sealed record PruneResult(int QueueItems, int Runs, int DeliveryBodies, int Deliveries, int OutboxMessages, int Snapshots, int DeploymentLinks, int DeploymentStatuses, int StageRuns)
{
    public int Total => QueueItems + Runs + DeliveryBodies + Deliveries + OutboxMessages + Snapshots + DeploymentLinks + DeploymentStatuses + StageRuns;
}
