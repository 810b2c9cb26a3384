using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub;

/// <summary>Following builds: queue items to runs, run numbers to run ids, status, history and cancel.</summary>
internal sealed partial class GitHubActionsBuildService
{
    private const int RunSearchPages = 10;

    public async Task<QueuedBuild> GetQueuedBuildAsync(long queueId, CancellationToken cancellationToken)
    {
        var item = await _items.GetAsync(queueId, cancellationToken).ConfigureAwait(false);
        if (item is null || item.Master != Name)
        {
            throw IgorException.Gone($"queue item {queueId} was never issued by master '{Name}'");
        }

        item = await AdvanceAsync(item, cancellationToken).ConfigureAwait(false);
        return item.State switch
        {
            QueueItemState.Failed => throw IgorException.Gone($"queue item {queueId} of {item.Job} did not start: {item.Error}"),
            QueueItemState.Resolved => new QueuedBuild { Number = item.RunNumber },
            _ => new QueuedBuild { Number = null },
        };
    }

    public async Task<GenericBuild> GetBuildAsync(JobName job, int buildNumber, CancellationToken cancellationToken)
    {
        if (buildNumber < 1)
        {
            throw IgorException.BadRequest($"{buildNumber} is not a build number: GitHub run numbers start at 1");
        }

        await FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var runId = await FindRunIdAsync(job, buildNumber, cancellationToken).ConfigureAwait(false)
            ?? throw IgorException.NotFound($"{job} has no build {buildNumber}");
        var run = await RunAsync(job, runId, cancellationToken).ConfigureAwait(false);
        if (_finishedBuilds.TryGetValue(run, out var finished))
        {
            return finished;
        }

        var build = ToBuild(job, run);
        if (build.Building)
        {
            return build;
        }

        // A finished build is the same for as long as this state of its run is cached (seconds): map it (and its artifacts)
        // once; moments after the run finished, its artifact listing is itself kept only seconds, so a late upload shows.
        build = build with { Artifacts = await TryGenericArtifactsAsync(job, run, cancellationToken).ConfigureAwait(false) };
        _finishedBuilds.AddOrUpdate(run, build);
        return build;
    }

    public async Task<IReadOnlyList<GenericBuild>> GetBuildsAsync(JobName job, CancellationToken cancellationToken)
    {
        await FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var runs = await _github.ListRunsAsync(job.Owner, job.Repository, job.WorkflowFile, new RunQuery(PerPage: 25), cancellationToken).ConfigureAwait(false);
        await RememberAsync(job, runs, cancellationToken).ConfigureAwait(false);
        return runs.OrderByDescending(r => r.RunNumber).Select(r => ToBuild(job, r)).ToArray();
    }

    public async Task StopBuildAsync(JobName? job, long queueId, int buildNumber, CancellationToken cancellationToken)
    {
        var item = await _items.GetAsync(queueId, cancellationToken).ConfigureAwait(false);
        if (item is not null && item.Master == Name)
        {
            if (item.State is QueueItemState.Failed)
            {
                return;
            }

            // The request is a field of its own, set atomically: a writer holding an older copy cannot drop it.
            item = await _items.RequestCancelAsync(queueId, cancellationToken).ConfigureAwait(false) ?? item;
            if (item.RunId is null)
            {
                // Not started yet on GitHub's side: never dispatched if still claimed, else cancelled as soon as the run is known.
                Log.CancelPending(_logger, Name, item.Job, item.Id);
                return;
            }

            await CancelQueuedRunAsync(item, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (job is not null && buildNumber > 0 &&
            await FindRunIdAsync(job, buildNumber, cancellationToken).ConfigureAwait(false) is { } runId)
        {
            await CancelRunAsync(job, runId, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ProcessQueueAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await _items.ListOpenAsync(Name, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var advanced = await AdvanceAsync(item, cancellationToken).ConfigureAwait(false);
                await _dispatcher.EndIfStuckAsync(advanced, advanced.Error ?? "GitHub never showed its run").ConfigureAwait(false);
            }
            catch (IgorException e)
            {
                Log.QueueItemNotAdvanced(_logger, Name, item.Job, item.Id, e.Message);
                await _dispatcher.EndIfStuckAsync(item, e.Message).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Moves an item forward as far as GitHub allows now: run found, number known, pending cancel sent.</summary>
    private async Task<QueueItem> AdvanceAsync(QueueItem item, CancellationToken cancellationToken)
    {
        item = await _dispatcher.AdvanceAsync(item, cancellationToken).ConfigureAwait(false);
        if (item is { State: QueueItemState.Resolved, CancelRequested: true, CancelSent: false, RunId: not null })
        {
            item = await CancelQueuedRunAsync(item, cancellationToken).ConfigureAwait(false);
        }

        return item;
    }

    /// <summary>Carries out the cancel request of an item whose run is known, and records that it was sent.</summary>
    private async Task<QueueItem> CancelQueuedRunAsync(QueueItem item, CancellationToken cancellationToken)
    {
        try
        {
            await CancelRunAsync(JobName.Parse(item.Job), item.RunId!.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (IgorException e) when (e.StatusCode is >= 400 and < 500 and not StatusCodes.Status429TooManyRequests)
        {
            // GitHub refuses it for good (the run or repository is gone, the App lost a permission): asking again every
            // poll would cost requests forever.
            Log.CancelGivenUp(_logger, Name, item.Job, item.Id, e.Message);
        }

        var (written, _) = await Dispatch.QueueItemWriter.TransitionAsync(_items, item, i => i.CancelSent ? null : i with { CancelSent = true }).ConfigureAwait(false);
        return written;
    }

    /// <summary>Run number → run id from the store, else by paging the workflow's runs (GitHub has no lookup by number).</summary>
    private async Task<long?> FindRunIdAsync(JobName job, int buildNumber, CancellationToken cancellationToken)
    {
        var key = $"{job}#{buildNumber}";
        if (_runIds.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        if (await _store.FindRunIdAsync(Name, job.ToString(), buildNumber, cancellationToken).ConfigureAwait(false) is { } known)
        {
            // A run number never changes its run: keep it in memory (bounded) to spare the store on every poll.
            if (_runIds.Count > 100_000)
            {
                _runIds.Clear();
            }

            _runIds[key] = known;
            return known;
        }

        for (var page = 1; page <= RunSearchPages; page++)
        {
            var runs = await _github.ListRunsAsync(job.Owner, job.Repository, job.WorkflowFile, new RunQuery(Page: page, PerPage: 100), cancellationToken)
                .ConfigureAwait(false);
            await RememberAsync(job, runs, cancellationToken).ConfigureAwait(false);
            if (runs.FirstOrDefault(r => r.RunNumber == buildNumber) is { } found)
            {
                return found.Id;
            }

            if (runs.Count < 100 || runs.Min(r => r.RunNumber) < buildNumber)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// The run's state: from webhooks while they flow (no GitHub request), else from GitHub, one conditional read per run
    /// per <see cref="Configuration.GitHubOptions.StatusCacheDuration"/> shared by every caller.
    /// </summary>
    private async Task<WorkflowRunInfo> RunAsync(JobName job, long runId, CancellationToken cancellationToken)
    {
        var id = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pushed = await _snapshots.GetAsync(
            id,
            async ct => await _store.GetRunSnapshotAsync(runId, ct).ConfigureAwait(false) is { } snapshot
                ? new PushedRun(RunSnapshots.Read(snapshot), snapshot.ReceivedAt)
                : null,
            cancellationToken).ConfigureAwait(false);
        // A completed run is final, except one waiting for approval (completed/action_required): it goes on once approved,
        // and its later deliveries can be lost, so it is read again once the snapshot is stale.
        var final = pushed?.Run is { Status: "completed", Conclusion: not "action_required" };
        if (pushed is not null && (final || _time.GetUtcNow() - pushed.ReceivedAt < _options.WebhookFreshness))
        {
            return pushed.Run;
        }

        return await _runs.GetAsync(
            id,
            ct => _github.GetRunAsync(job.Owner, job.Repository, runId, ct),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task CancelRunAsync(JobName job, long runId, CancellationToken cancellationToken)
    {
        var accepted = await _github.CancelRunAsync(job.Owner, job.Repository, runId, force: false, cancellationToken).ConfigureAwait(false);
        Log.CancelSent(_logger, Name, job.ToString(), runId, accepted);
        _runs.Invalidate(runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
            await Task.Delay(_options.CancelGracePeriod, _time).ConfigureAwait(false);
            var run = await _github.GetRunAsync(job.Owner, job.Repository, runId, CancellationToken.None).ConfigureAwait(false);
            if (run.Status != "completed")
            {
                var forced = await _github.CancelRunAsync(job.Owner, job.Repository, runId, force: true, CancellationToken.None).ConfigureAwait(false);
                Log.ForceCancelSent(_logger, Name, job.ToString(), runId, forced);
            }
        }
        catch (Exception e) when (e is IgorException or HttpRequestException or OperationCanceledException)
        {
            Log.ForceCancelFailed(_logger, Name, job.ToString(), runId, e.Message);
        }
    }

    private Task RememberAsync(JobName job, IEnumerable<WorkflowRunInfo> runs, CancellationToken cancellationToken) =>
        _store.RecordRunsAsync(runs.Select(r => new RunRecord(Name, job.ToString(), r.RunNumber, r.Id)).ToArray(), cancellationToken);

    private GenericBuild ToBuild(JobName job, WorkflowRunInfo run) =>
        WorkflowRunMapper.ToGenericBuild(job.ToString(), run, _time.GetUtcNow(),
            conclusion => Log.UnknownConclusion(_logger, Name, job.ToString(), run.Id, conclusion)) with { Url = BuildUrl(job.Owner, job.Repository, run) };
}
