using System.Globalization;
using System.Text.Json;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Runs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Igor.Queue;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub.Dispatch;

/// <summary>
/// Finds the run a dispatch started: for a Sent item by its run id or title; for an item whose answer was lost
/// (Sending, lease gone) by the dispatch id in the title, or else as the only <c>workflow_dispatch</c> run of that workflow
/// and ref that the master's own login started in the attempt's window and no other item follows. Several candidates
/// fail the item with a message (guessing could follow another stage's run); none, once
/// <see cref="GitHubOptions.DispatchRecoveryGrace"/> has passed, lets the dispatch be sent again. Reads bypass caches.
/// </summary>
internal sealed partial class DispatchRecovery(
    MasterOptions master, GitHubOptions options, IGitHubActionsClient github, IStateStore store, IQueueItems items, TimeProvider time, ILogger logger)
{
    /// <summary>How far GitHub's clock may be from ours when comparing a run's creation with an attempt's start.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly SharedCache<IReadOnlyList<WorkflowRunInfo>> _recentRuns = new(time, () => TimeSpan.FromSeconds(3));

    private TimeSpan Lease => DispatchLimits.Lease(options);

    /// <summary>Resolves an item whose dispatch answer was lost; re-sends (through <paramref name="resend"/>) only when GitHub has no run for it.</summary>
    public async Task<QueueItem> RecoverAsync(QueueItem item, Func<QueueItem, Task<QueueItem>> resend, CancellationToken cancellationToken)
    {
        // One recovery at a time, on any replica: take the lease first.
        var (held, applied) = await QueueItemWriter.TransitionAsync(items, item, i =>
            i.State == QueueItemState.Sending && !(i.LeaseUntil > time.GetUtcNow()) ? i with { LeaseUntil = time.GetUtcNow() + Lease } : null).ConfigureAwait(false);
        if (!applied)
        {
            return held;
        }

        try
        {
            var job = JobName.Parse(held.Job);
            var request = JsonSerializer.Deserialize<DispatchRequest>(held.Request!)!;
            var search = await FindAsync(job, held, request, cancellationToken).ConfigureAwait(false);
            switch (search)
            {
                case { Run: { } run }:
                    Log.Adopted(logger, master.Name, held.Job, held.Id, run.Id, held.Attempts);
                    return await ResolveAsync(held, run, cancellationToken).ConfigureAwait(false);
                case { Ambiguous: { Count: > 0 } several }:
                    return await FailAsync(held, Ambiguity(job, several)).ConfigureAwait(false);
                case { Deferred: false } when time.GetUtcNow() - held.AttemptStartedAt >= options.DispatchRecoveryGrace:
                    // GitHub lists no run of this attempt long after it would have: the POST did not start one.
                    Log.Resending(logger, master.Name, held.Job, held.Id, held.Attempts + 1, options.DispatchRecoveryGrace);
                    var (again, resent) = await QueueItemWriter.TransitionAsync(items, held, i =>
                        i.State == QueueItemState.Sending && i.LeaseUntil == held.LeaseUntil
                            ? i with { Attempts = i.Attempts + 1, AttemptStartedAt = time.GetUtcNow(), LeaseUntil = time.GetUtcNow() + Lease }
                            : null).ConfigureAwait(false);
                    return resent ? await resend(again).ConfigureAwait(false) : again;
                default:
                    return await ReleaseAsync(held).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IgorException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            Log.RecoveryFailed(logger, master.Name, held.Job, held.Id, e.Message);
            return await ReleaseAsync(held).ConfigureAwait(false);
        }
    }

    /// <summary>Finds the run of a Sent item: by its run id, its title, or as the one candidate; fails it after the correlation timeout.</summary>
    public async Task<QueueItem> CorrelateAsync(QueueItem item, CancellationToken cancellationToken)
    {
        var job = JobName.Parse(item.Job);
        if (item.RunId is { } runId)
        {
            // While webhooks flow, the run's "requested" delivery brings its number without a GitHub read; wait a moment for it.
            var snapshot = await store.Snapshots.GetRunSnapshotAsync(runId, cancellationToken).ConfigureAwait(false);
            var waitForWebhook = snapshot is null && !string.IsNullOrEmpty(options.WebhookSecret) &&
                                 time.GetUtcNow() - (item.DispatchedAt ?? item.CreatedAt) < options.WebhookGrace;
            if (waitForWebhook)
            {
                return item;
            }

            var run = snapshot is not null ? RunSnapshots.Read(snapshot) : await github.GetRunAsync(job.Owner, job.Repository, runId, cancellationToken).ConfigureAwait(false);
            return await ResolveAsync(item, run, cancellationToken).ConfigureAwait(false);
        }

        var request = item.Request is { } json ? JsonSerializer.Deserialize<DispatchRequest>(json)! : null;
        if (request is null or { Correlatable: true })
        {
            if (await FindByTitleAsync(job, item, cancellationToken).ConfigureAwait(false) is { } titled)
            {
                return await ResolveAsync(item, titled, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            // GitHub started it without saying which run (run details ignored): the one run of ours there and then.
            var search = await FindAsync(job, item, request, cancellationToken).ConfigureAwait(false);
            if (search.Run is { } run)
            {
                return await ResolveAsync(item, run, cancellationToken).ConfigureAwait(false);
            }

            if (search.Ambiguous is { Count: > 0 } several)
            {
                return await FailAsync(item, Ambiguity(job, several)).ConfigureAwait(false);
            }
        }

        if (time.GetUtcNow() - (item.DispatchedAt ?? item.CreatedAt) > options.CorrelationTimeout)
        {
            return await FailAsync(item,
                $"no run of {job} carried the dispatch id {item.DispatchId} within {options.CorrelationTimeout}: check the workflow's run-name line").ConfigureAwait(false);
        }

        return item;
    }

    private async Task<QueueItem> ResolveAsync(QueueItem item, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        await store.Runs.RecordRunsAsync([new RunRecord(master.Name, item.Job, run.RunNumber, run.Id)], cancellationToken).ConfigureAwait(false);
        var (resolved, applied) = await QueueItemWriter.TransitionAsync(items, item, i =>
            i.State is QueueItemState.Sent or QueueItemState.Sending
                ? i with { State = QueueItemState.Resolved, RunId = run.Id, RunNumber = run.RunNumber, LeaseUntil = null, Error = null }
                : null).ConfigureAwait(false);
        if (applied)
        {
            Log.Resolved(logger, master.Name, item.Job, item.Id, run.Id, run.RunNumber);
            Operations.IgorMetrics.CorrelationTime.Observe(Math.Max(0, (time.GetUtcNow() - (item.DispatchedAt ?? item.CreatedAt)).TotalSeconds));
        }

        return resolved;
    }

    /// <summary>
    /// The run of one attempt of an item. With the run-name line the title decides; without it, the candidates are the
    /// workflow's runs of the dispatch's event and ref, started by the master's own login in the attempt's window, that
    /// no other item follows. While another item of the job is still being sent, nothing is decided (it may own a candidate).
    /// </summary>
    private async Task<Search> FindAsync(JobName job, QueueItem item, DispatchRequest request, CancellationToken cancellationToken)
    {
        var started = item.AttemptStartedAt ?? item.CreatedAt;
        var from = started - ClockSkew;
        var until = started + Lease + ClockSkew;
        var runs = await github.ListRunsAsync(
            job.Owner, job.Repository, job.WorkflowFile, new RunQuery(Event: request.Event, CreatedAfter: from, PerPage: 100), cancellationToken).ConfigureAwait(false);
        if (request.Correlatable)
        {
            return new Search(runs.FirstOrDefault(r => r.DisplayTitle?.Contains(item.DispatchId, StringComparison.Ordinal) == true), [], false);
        }

        var login = await github.GetDispatcherLoginAsync(cancellationToken).ConfigureAwait(false);
        var candidates = new List<WorkflowRunInfo>();
        foreach (var run in runs.Where(r => r.CreatedAt >= from && r.CreatedAt <= until && string.Equals(r.Actor, login, StringComparison.OrdinalIgnoreCase) && OnRef(r, request.Ref)))
        {
            if (await items.FindByRunIdAsync(run.Id, cancellationToken).ConfigureAwait(false) is not { } owner || owner.Id == item.Id)
            {
                candidates.Add(run);
            }
        }

        var now = time.GetUtcNow();
        var others = (await items.ListOpenAsync(item.Master, cancellationToken).ConfigureAwait(false))
            .Where(o => o.Id != item.Id && o.Job == item.Job && o.RunId is null)
            .ToArray();
        if (others.Any(o => o.State is QueueItemState.Claimed or QueueItemState.Sending && o.LeaseUntil > now))
        {
            return new Search(null, [], Deferred: true);
        }

        var overlapping = others.Any(o => o.State is QueueItemState.Sending or QueueItemState.Sent &&
                                          (o.AttemptStartedAt ?? o.CreatedAt) - started is var gap && gap.Duration() <= Lease + (2 * ClockSkew));
        return candidates.Count switch
        {
            1 when !overlapping => new Search(candidates[0], [], false),
            0 => new Search(null, [], false),
            _ => new Search(null, candidates, false),
        };
    }

    /// <summary>The shared recent-runs listing of a workflow, searched for the item's dispatch id in a run's title.</summary>
    private async Task<WorkflowRunInfo?> FindByTitleAsync(JobName job, QueueItem item, CancellationToken cancellationToken)
    {
        var recent = await _recentRuns.GetAsync(job.ToString(), async ct =>
        {
            var since = time.GetUtcNow() - options.CorrelationTimeout - TimeSpan.FromMinutes(2);
            var runs = await github.ListRunsAsync(job.Owner, job.Repository, job.WorkflowFile, new RunQuery(CreatedAfter: since, PerPage: 100), ct).ConfigureAwait(false);
            await store.Runs.RecordRunsAsync(runs.Select(r => new RunRecord(master.Name, job.ToString(), r.RunNumber, r.Id)).ToArray(), ct).ConfigureAwait(false);
            return runs;
        }, cancellationToken).ConfigureAwait(false);
        return recent.FirstOrDefault(r => r.DisplayTitle?.Contains(item.DispatchId, StringComparison.Ordinal) == true);
    }

    private async Task<QueueItem> FailAsync(QueueItem item, string message)
    {
        Log.Unresolvable(logger, master.Name, item.Job, item.Id, message);
        var (failed, _) = await QueueItemWriter.TransitionAsync(items, item, i =>
            i.State is QueueItemState.Sending or QueueItemState.Sent
                ? i with { State = QueueItemState.Failed, ErrorStatus = IgorStatusMap.FailedDispatch, Error = message, LeaseUntil = null }
                : null).ConfigureAwait(false);
        return failed;
    }

    private async Task<QueueItem> ReleaseAsync(QueueItem held)
    {
        var (released, _) = await QueueItemWriter.TransitionAsync(items, held, i =>
            i.State == QueueItemState.Sending && i.LeaseUntil == held.LeaseUntil ? i with { LeaseUntil = null } : null).ConfigureAwait(false);
        return released;
    }

    private static bool OnRef(WorkflowRunInfo run, string gitRef)
    {
        var name = gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef["refs/heads/".Length..]
            : gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? gitRef["refs/tags/".Length..]
            : gitRef;
        return run.HeadBranch is null || string.Equals(run.HeadBranch, name, StringComparison.Ordinal);
    }

    private static string Ambiguity(JobName job, IReadOnlyList<WorkflowRunInfo> runs) =>
        $"the answer to the dispatch of {job} was lost, and {runs.Count.ToString(CultureInfo.InvariantCulture)} runs could be the one it started " +
        $"({string.Join(", ", runs.Select(r => r.HtmlUrl))}); Spinnaker does not guess. Check them on GitHub, and make the workflow followable: " +
        DispatchPreparation.NotCorrelatable(job, workflowDispatch: true);

    private sealed record Search(WorkflowRunInfo? Run, IReadOnlyList<WorkflowRunInfo> Ambiguous, bool Deferred);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Master {Master}: queue item {QueueId} of {Job} is run {RunId}, build {RunNumber}")]
        public static partial void Resolved(ILogger logger, string master, string job, long queueId, long runId, int runNumber);

        [LoggerMessage(2, LogLevel.Warning, "Master {Master}: the lost dispatch of {Job} (queue item {QueueId}, attempt {Attempt}) started run {RunId}; it is followed")]
        public static partial void Adopted(ILogger logger, string master, string job, long queueId, long runId, int attempt);

        [LoggerMessage(3, LogLevel.Warning, "Master {Master}: GitHub shows no run for the lost dispatch of {Job} (queue item {QueueId}) after {Grace}; sending attempt {Attempt}")]
        public static partial void Resending(ILogger logger, string master, string job, long queueId, int attempt, TimeSpan grace);

        [LoggerMessage(4, LogLevel.Warning, "Master {Master}: queue item {QueueId} of {Job} fails: {Reason}")]
        public static partial void Unresolvable(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(5, LogLevel.Warning, "Master {Master}: looking for the run of queue item {QueueId} of {Job} failed, tried again later: {Reason}")]
        public static partial void RecoveryFailed(ILogger logger, string master, string job, long queueId, string reason);
    }
}
