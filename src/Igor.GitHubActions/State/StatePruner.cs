using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.State;

/// <summary>
/// Prunes the store every <see cref="StateOptions.PruneInterval"/>: what finished more than <see cref="StateOptions.Retention"/>
/// ago goes, in small batches, so the store's size is bounded by the retention rather than by the service's age.
/// Replicas may prune at the same time: every statement deletes only what is already past retention.
/// </summary>
internal sealed partial class StatePruner(IStatePruning store, IOptions<StateOptions> options, TimeProvider time, ILogger<StatePruner> logger) : BackgroundService
{
    /// <summary>GitHub redelivers a delivery up to three days back: its id is kept that long for dedupe, whatever the retention.</summary>
    public static readonly TimeSpan RedeliveryWindow = TimeSpan.FromDays(3);

    public async Task<PruneResult> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retention = options.Value.Retention;
        var result = await store.PruneAsync(
            new PrunePolicy(now - retention, now - (retention > RedeliveryWindow ? retention : RedeliveryWindow)), cancellationToken).ConfigureAwait(false);
        if (result.Total > 0)
        {
            Log.Pruned(logger, result.QueueItems, result.Runs, result.DeliveryBodies, result.Deliveries, result.OutboxMessages, result.Snapshots,
                result.DeploymentLinks + result.DeploymentStatuses + result.StageRuns, retention);
        }

        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await PruneOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.Failed(logger, e.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information,
            "Pruned what is older than {Retention}: {QueueItems} queue items, {Runs} run-index entries, {Bodies} delivery bodies, {Deliveries} delivery ids, {Events} delivered events, {Snapshots} run snapshots, {Deployments} deployment records")]
        public static partial void Pruned(ILogger logger, int queueItems, int runs, int bodies, int deliveries, int events, int snapshots, int deployments, TimeSpan retention);

        [LoggerMessage(2, LogLevel.Warning, "Pruning the store failed (tried again next interval): {Reason}")]
        public static partial void Failed(ILogger logger, string reason);
    }
}
