using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Igor.Queue;

namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>
/// Queue items after their dispatch: each poll (Orca's, or the queue processor's for items nobody polls) moves one as far
/// as GitHub allows now: run found, number known, a pending cancel sent; an item stuck past its deadline is ended.
/// </summary>
internal sealed partial class RunResolver(
    string master, IQueueItems items, Dispatch.WorkflowDispatcher dispatcher, RunCanceller canceller, ILogger<RunResolver> logger)
{
    /// <summary>The build number once the queue item's run is known; a 410 for a queue id never issued or failed.</summary>
    public async Task<QueuedBuild> GetQueuedBuildAsync(long queueId, CancellationToken cancellationToken)
    {
        var item = await items.GetAsync(queueId, cancellationToken).ConfigureAwait(false);
        if (item is null || item.Master != master)
        {
            throw IgorException.Gone($"queue item {queueId} was never issued by master '{master}'");
        }

        item = await AdvanceAsync(item, cancellationToken).ConfigureAwait(false);
        return item.State switch
        {
            QueueItemState.Failed => throw IgorException.Gone($"queue item {queueId} of {item.Job} did not start: {item.Error}"),
            QueueItemState.Resolved => new QueuedBuild { Number = item.RunNumber },
            _ => new QueuedBuild { Number = null },
        };
    }

    /// <summary>Advances every open item of the master; one that cannot advance is ended once it is stuck.</summary>
    public async Task ProcessOpenAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await items.ListOpenAsync(master, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var advanced = await AdvanceAsync(item, cancellationToken).ConfigureAwait(false);
                await dispatcher.EndIfStuckAsync(advanced, advanced.Error ?? "GitHub never showed its run").ConfigureAwait(false);
            }
            catch (IgorException e)
            {
                Log.QueueItemNotAdvanced(logger, master, item.Job, item.Id, e.Message);
                await dispatcher.EndIfStuckAsync(item, e.Message).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Moves an item forward as far as GitHub allows now: run found, number known, pending cancel sent.</summary>
    private async Task<QueueItem> AdvanceAsync(QueueItem item, CancellationToken cancellationToken)
    {
        item = await dispatcher.AdvanceAsync(item, cancellationToken).ConfigureAwait(false);
        if (item is { State: QueueItemState.Resolved, CancelRequested: true, CancelSent: false, RunId: not null })
        {
            item = await canceller.CancelQueuedRunAsync(item, cancellationToken).ConfigureAwait(false);
        }

        return item;
    }

    private static partial class Log
    {
        [LoggerMessage(11, LogLevel.Warning, "Master {Master}: queue item {QueueId} of {Job} not advanced: {Reason}")]
        public static partial void QueueItemNotAdvanced(ILogger logger, string master, string job, long queueId, string reason);
    }
}
