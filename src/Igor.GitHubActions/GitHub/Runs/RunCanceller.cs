using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Igor.Queue;

namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>
/// Stopping builds: a queue item's cancel request is a field of its own (sent once its run is known), a run's cancel is
/// followed by a force-cancel after <see cref="GitHubOptions.CancelGracePeriod"/> when its jobs ignore it.
/// </summary>
internal sealed partial class RunCanceller(
    string master, GitHubOptions options, CachingGitHubActionsClient github, IQueueItems items, RunReader runs, TimeProvider time, ILogger<RunCanceller> logger)
{
    /// <summary>Stops a queued or running build; a finished one is left alone (GitHub answers a cancel of it with 409).</summary>
    public async Task StopAsync(JobName? job, long queueId, int buildNumber, CancellationToken cancellationToken)
    {
        var item = await items.GetAsync(queueId, cancellationToken).ConfigureAwait(false);
        if (item is not null && item.Master == master)
        {
            if (item.State is QueueItemState.Failed)
            {
                return;
            }

            // The request is a field of its own, set atomically: a writer holding an older copy cannot drop it.
            item = await items.RequestCancelAsync(queueId, cancellationToken).ConfigureAwait(false) ?? item;
            if (item.RunId is null)
            {
                // Not started yet on GitHub's side: never dispatched if still claimed, else cancelled as soon as the run is known.
                Log.CancelPending(logger, master, item.Job, item.Id);
                return;
            }

            await CancelQueuedRunAsync(item, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (job is not null && buildNumber > 0 &&
            await runs.FindRunIdAsync(job, buildNumber, cancellationToken).ConfigureAwait(false) is { } runId)
        {
            await CancelRunAsync(job, runId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Carries out the cancel request of an item whose run is known, and records that it was sent.</summary>
    public async Task<QueueItem> CancelQueuedRunAsync(QueueItem item, CancellationToken cancellationToken)
    {
        try
        {
            await CancelRunAsync(JobName.Parse(item.Job), item.RunId!.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.IsPermanent)
        {
            // GitHub refuses it for good (the run or repository is gone, the App lost a permission): asking again every
            // poll would cost requests forever.
            Log.CancelGivenUp(logger, master, item.Job, item.Id, e.Message);
        }

        var (written, _) = await Dispatch.QueueItemWriter.TransitionAsync(items, item, i => i.CancelSent ? null : i with { CancelSent = true }).ConfigureAwait(false);
        return written;
    }

    public async Task CancelRunAsync(JobName job, long runId, CancellationToken cancellationToken)
    {
        var accepted = await github.CancelRunAsync(job.Owner, job.Repository, runId, force: false, cancellationToken).ConfigureAwait(false);
        Log.CancelSent(logger, master, job.ToString(), runId, accepted);
        if (accepted)
        {
            _ = ForceCancelIfStillRunningAsync(job, runId);
        }
    }

    /// <summary>A run whose jobs ignore cancellation (<c>always()</c>) is force-cancelled after a grace period.</summary>
    private async Task ForceCancelIfStillRunningAsync(JobName job, long runId)
    {
        try
        {
            await Task.Delay(options.CancelGracePeriod, time).ConfigureAwait(false);
            github.ForgetRun(runId);
            var run = await github.GetRunAsync(job.Owner, job.Repository, runId, CancellationToken.None).ConfigureAwait(false);
            if (run.Status != "completed")
            {
                var forced = await github.CancelRunAsync(job.Owner, job.Repository, runId, force: true, CancellationToken.None).ConfigureAwait(false);
                Log.ForceCancelSent(logger, master, job.ToString(), runId, forced);
            }
        }
        catch (Exception e) when (e is IgorException or HttpRequestException or OperationCanceledException)
        {
            Log.ForceCancelFailed(logger, master, job.ToString(), runId, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Warning, "Master {Master}: the cancel of queue item {QueueId} ({Job}) was refused by GitHub for good and is not asked again: {Reason}")]
        public static partial void CancelGivenUp(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(7, LogLevel.Information, "Master {Master}: cancel of queue item {QueueId} of {Job} waits for its run to appear")]
        public static partial void CancelPending(ILogger logger, string master, string job, long queueId);

        [LoggerMessage(8, LogLevel.Information, "Master {Master}: cancel of run {RunId} of {Job} sent (accepted: {Accepted})")]
        public static partial void CancelSent(ILogger logger, string master, string job, long runId, bool accepted);

        [LoggerMessage(9, LogLevel.Warning, "Master {Master}: run {RunId} of {Job} ignored the cancel; force-cancel sent (accepted: {Accepted})")]
        public static partial void ForceCancelSent(ILogger logger, string master, string job, long runId, bool accepted);

        [LoggerMessage(10, LogLevel.Warning, "Master {Master}: force-cancel check of run {RunId} of {Job} failed: {Reason}")]
        public static partial void ForceCancelFailed(ILogger logger, string master, string job, long runId, string reason);
    }
}
