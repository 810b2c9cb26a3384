using System.Security.Cryptography;
using System.Text.Json;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Jobs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Igor.Queue;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub.Dispatch;

/// <summary>
/// Starts a workflow exactly once per Orca request identity. The queue item moves
/// <c>Claimed → Sending → Sent → Resolved | Failed</c>, each state written (compare-and-set) before the step it names:
/// <list type="bullet">
/// <item>Claimed: one request holds the lease and checks the job; nothing has left.</item>
/// <item>Sending: written before the POST, with what is sent. The POST and its bookkeeping run apart from the HTTP
/// request that asked (Orca hanging up changes nothing), bounded by the GitHub timeouts. When the answer is lost (5xx,
/// timeout, reset, a crash) the item stays Sending with its lease released, and <see cref="DispatchRecovery"/> finds the
/// run instead of sending again.</item>
/// <item>Sent: GitHub answered 2xx; the run is found by its id, its title, or (for a workflow that cannot show the
/// dispatch id) as the one run the master's own login started there and then.</item>
/// </list>
/// A retried PUT never sends while another holder's lease is live: it waits a moment, then answers 503 (Orca retries).
/// </summary>
internal sealed partial class WorkflowDispatcher
{
    private static readonly TimeSpan JoinWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan JoinPoll = TimeSpan.FromMilliseconds(100);

    private readonly MasterOptions _master;
    private readonly GitHubOptions _options;
    private readonly IGitHubActionsClient _github;
    private readonly IQueueItems _items;
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DispatchRecovery _recovery;
    private readonly DispatchPreparation _preparation;

    /// <summary>Whether this master's GitHub returns run ids on dispatch; null until the first dispatch says.</summary>
    private bool? _runDetailsSupported;

    public WorkflowDispatcher(
        MasterOptions master, GitHubOptions options, IGitHubActionsClient github, IStateStore store, IQueueItems items,
        WorkflowCatalog catalog, TimeProvider time, ILogger logger)
    {
        _master = master;
        _options = options;
        _github = github;
        _items = items;
        _store = store;
        _time = time;
        _logger = logger;
        _recovery = new DispatchRecovery(master, options, github, store, items, time, logger);
        _preparation = new DispatchPreparation(master, github, catalog, logger);
    }

    private TimeSpan Lease => DispatchLimits.Lease(_options);

    /// <summary>Files (or finds) the queue item of this request and, when this request owns it, dispatches the workflow.</summary>
    public async Task<long> StartAsync(JobName job, BuildRequest request, CancellationToken cancellationToken)
    {
        DispatchLimits.Check(request.Parameters);
        var now = _time.GetUtcNow();
        var candidate = new QueueItem
        {
            IdempotencyKey = DispatchLimits.IdempotencyKey(_master.Name, job, request),
            Master = _master.Name,
            Job = job.ToString(),
            State = QueueItemState.Claimed,
            DispatchId = "spn-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            CreatedAt = now,
            LeaseUntil = now + Lease,
        };

        var (item, owned) = await _items.GetOrCreateAsync(candidate, cancellationToken).ConfigureAwait(false);
        if (!owned)
        {
            (item, owned) = await JoinAsync(item, cancellationToken).ConfigureAwait(false);
        }

        if (owned)
        {
            // From here on the request only waits: the dispatch and its bookkeeping finish even if Orca hangs up.
            var claimed = item;
            item = await Task.Run(() => SendAsync(job, claimed, request), CancellationToken.None)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return Answer(item);
    }

    /// <summary>Moves an item forward as far as GitHub allows now; never blocks on another holder's lease.</summary>
    public async Task<QueueItem> AdvanceAsync(QueueItem item, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        switch (item.State)
        {
            case QueueItemState.Claimed when !IsLive(item, now) && now - item.CreatedAt > _options.CorrelationTimeout:
                return await FailAsync(item, IgorStatusMap.EndedDispatch,
                    $"the start request for {item.Job} stopped before it dispatched, and was not retried within {_options.CorrelationTimeout}").ConfigureAwait(false);
            case QueueItemState.Sending when !IsLive(item, now):
                return await _recovery.RecoverAsync(item, ResendAsync, cancellationToken).ConfigureAwait(false);
            case QueueItemState.Sent:
                return await _recovery.CorrelateAsync(item, cancellationToken).ConfigureAwait(false);
            default:
                return item;
        }
    }

    /// <summary>Another request filed the item: wait briefly for it to settle, or take it over if its holder is gone before sending.</summary>
    private async Task<(QueueItem Item, bool Owned)> JoinAsync(QueueItem item, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + JoinWait;
        while (true)
        {
            var now = _time.GetUtcNow();
            switch (item.State)
            {
                case QueueItemState.Claimed when !IsLive(item, now):
                    // Nothing was sent (Sending is written before the POST): this request may carry on where the other stopped.
                    var (taken, applied) = await QueueItemWriter.TransitionAsync(_items, item, i =>
                        i.State == QueueItemState.Claimed && !IsLive(i, _time.GetUtcNow()) ? i with { LeaseUntil = _time.GetUtcNow() + Lease } : null)
                        .ConfigureAwait(false);
                    if (applied)
                    {
                        Log.TakenOver(_logger, _master.Name, item.Job, item.Id);
                        return (taken, true);
                    }

                    item = taken;
                    continue;
                case QueueItemState.Claimed or QueueItemState.Sending when IsLive(item, now):
                    if (now >= deadline)
                    {
                        throw IgorException.Unavailable(
                            $"queue item {item.Id} of {item.Job} is still being dispatched by an earlier request for this stage; retry shortly (it is never sent twice)");
                    }

                    await Task.Delay(JoinPoll, _time, cancellationToken).ConfigureAwait(false);
                    item = await _items.GetAsync(item.Id, cancellationToken).ConfigureAwait(false) ?? item;
                    continue;
                default:
                    return (item, false);
            }
        }
    }

    private static long Answer(QueueItem item) => item.State switch
    {
        QueueItemState.Failed => throw new IgorException(item.ErrorStatus ?? IgorStatusMap.FailedDispatch, item.Error ?? "the dispatch failed"),
        QueueItemState.Claimed => throw IgorException.Unavailable(
            $"{item.Job} was not dispatched yet ({item.Error ?? "GitHub was not reachable"}); retry shortly"),
        _ => item.Id,
    };

    /// <summary>Checks the job, writes Sending with what will be sent, and sends it. Runs apart from any HTTP request.</summary>
    private async Task<QueueItem> SendAsync(JobName job, QueueItem claimed, BuildRequest build)
    {
        DispatchRequest request;
        try
        {
            request = await _preparation.PrepareAsync(job, claimed, build.Parameters, _runDetailsSupported, CancellationToken.None).ConfigureAwait(false);
            request = request with { ExecutionId = build.PipelineExecutionId, TriggeredBy = await OriginAsync(build.PipelineExecutionId).ConfigureAwait(false) };
        }
        catch (IgorException e) when (IsRefusal(e))
        {
            Log.DispatchRefused(_logger, _master.Name, job.ToString(), claimed.Id, e.Message);
            return await FailAsync(claimed, RefusalStatus(e), e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IgorException or HttpRequestException or TimeoutException)
        {
            // Nothing was sent: give the claim back, so Orca's retry takes it over at once.
            var (released, _) = await QueueItemWriter.TransitionAsync(_items, claimed, i =>
                Holds(i, claimed) ? i with { LeaseUntil = null, Error = e.Message } : null).ConfigureAwait(false);
            return released;
        }

        var json = JsonSerializer.Serialize(request);
        var (sending, applied) = await QueueItemWriter.TransitionAsync(_items, claimed, i =>
        {
            if (!Holds(i, claimed))
            {
                return null;
            }

            var now = _time.GetUtcNow();
            return i.CancelRequested
                ? i with { State = QueueItemState.Failed, ErrorStatus = IgorStatusMap.EndedDispatch, Error = $"{i.Job} was cancelled before it was dispatched", LeaseUntil = null }
                : i with { State = QueueItemState.Sending, Request = json, Attempts = i.Attempts + 1, AttemptStartedAt = now, LeaseUntil = now + Lease, Error = null };
        }).ConfigureAwait(false);
        return applied && sending.State == QueueItemState.Sending
            ? await PostAsync(job, sending, request).ConfigureAwait(false)
            : sending;
    }

    /// <summary>The deployment that started the execution, from the link its pipeline events made (deployment statuses).</summary>
    private async Task<DeploymentOrigin?> OriginAsync(string? executionId) =>
        executionId is not null && await _store.DeploymentLinks.GetDeploymentLinkAsync(executionId, CancellationToken.None).ConfigureAwait(false) is { } link
            ? new DeploymentOrigin(link.Repository, link.Environment, link.DeploymentId)
            : null;

    /// <summary>Sends the request of an item whose earlier attempt GitHub was shown to have no run for.</summary>
    private Task<QueueItem> ResendAsync(QueueItem sending) =>
        PostAsync(JobName.Parse(sending.Job), sending, JsonSerializer.Deserialize<DispatchRequest>(sending.Request!)!);

    /// <summary>The POST of an item in Sending that this holder owns, and the state its answer leads to.</summary>
    private async Task<QueueItem> PostAsync(JobName job, QueueItem sending, DispatchRequest request)
    {
        try
        {
            long? runId = null;
            if (request.Event == DispatchRequest.WorkflowDispatch)
            {
                var outcome = await _github.DispatchWorkflowAsync(
                    job.Owner, job.Repository, job.WorkflowFile, request.Ref, request.Inputs, request.ReturnRunDetails, CancellationToken.None).ConfigureAwait(false);
                if (outcome.RunDetailsRefused)
                {
                    // GitHub refused the field and started nothing: record the plain form before sending it.
                    _runDetailsSupported = false;
                    Log.RunDetailsUnsupported(_logger, _master.Name);
                    if (!request.Correlatable)
                    {
                        return await FailAsync(sending, IgorStatusMap.FailedDispatch, DispatchPreparation.NotCorrelatable(job, workflowDispatch: true)).ConfigureAwait(false);
                    }

                    request = request with { ReturnRunDetails = false };
                    var plain = JsonSerializer.Serialize(request);
                    (sending, var applied) = await QueueItemWriter.TransitionAsync(_items, sending, i =>
                        Holds(i, sending) ? i with { Request = plain, AttemptStartedAt = _time.GetUtcNow(), LeaseUntil = _time.GetUtcNow() + Lease } : null).ConfigureAwait(false);
                    if (!applied)
                    {
                        return sending;
                    }

                    outcome = await _github.DispatchWorkflowAsync(
                        job.Owner, job.Repository, job.WorkflowFile, request.Ref, request.Inputs, returnRunDetails: false, CancellationToken.None).ConfigureAwait(false);
                }
                else if (outcome.RunId is not null)
                {
                    _runDetailsSupported = true;
                }

                runId = outcome.RunId;
            }
            else
            {
                await _github.DispatchRepositoryAsync(job.Owner, job.Repository, request.EventType!, request.Inputs, CancellationToken.None).ConfigureAwait(false);
            }

            var held = sending;
            var (sent, _) = await QueueItemWriter.TransitionAsync(_items, sending, i =>
                i.State == QueueItemState.Sending && i.Attempts == held.Attempts
                    ? i with { State = QueueItemState.Sent, RunId = runId, DispatchedAt = _time.GetUtcNow(), LeaseUntil = null, Error = null }
                    : null).ConfigureAwait(false);
            Log.Dispatched(_logger, _master.Name, job.ToString(), sent.Id, runId, sent.Attempts);
            return sent;
        }
        catch (GitHubException e) when (e.Kind is GitHubFailureKind.Refused or GitHubFailureKind.Forbidden or GitHubFailureKind.NotFound or GitHubFailureKind.NotInstalled)
        {
            Log.DispatchRefused(_logger, _master.Name, job.ToString(), sending.Id, e.Message);
            return await FailAsync(sending, RefusalStatus(e), e.Message).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.Kind is GitHubFailureKind.RateLimited)
        {
            // A rate limit stops the request before GitHub acts on it: the dispatch may be sent again once the limit lifts.
            Log.DispatchDeferred(_logger, _master.Name, job.ToString(), sending.Id, e.Message);
            var (released, _) = await QueueItemWriter.TransitionAsync(_items, sending, i =>
                Holds(i, sending) ? i with { State = QueueItemState.Claimed, LeaseUntil = null, Error = e.Message } : null).ConfigureAwait(false);
            return released;
        }
        catch (Exception e) when (e is GitHubException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            // GitHub may have started the run: never send again on a guess. Recovery looks for the run.
            Log.OutcomeUnknown(_logger, _master.Name, job.ToString(), sending.Id, e.Message);
            var (unknown, _) = await QueueItemWriter.TransitionAsync(_items, sending, i =>
                Holds(i, sending) ? i with { LeaseUntil = null, Error = "the dispatch's answer was lost: " + e.Message } : null).ConfigureAwait(false);
            return unknown;
        }
    }

    private async Task<QueueItem> FailAsync(QueueItem item, int status, string message)
    {
        var (failed, _) = await QueueItemWriter.TransitionAsync(_items, item, i =>
            i.State is QueueItemState.Claimed or QueueItemState.Sending
                ? i with { State = QueueItemState.Failed, ErrorStatus = status, Error = message, LeaseUntil = null }
                : null).ConfigureAwait(false);
        return failed;
    }

    /// <summary>
    /// Ends an item that has not got anywhere for <see cref="GitHubOptions.CorrelationTimeout"/> (plus the recovery grace)
    /// since its attempt started: failed with why, which Orca shows (a 410 on its next poll), so it stops costing GitHub
    /// requests and never holds a place in the open window for good. A live holder is never interrupted.
    /// </summary>
    public async Task<QueueItem> EndIfStuckAsync(QueueItem item, string reason)
    {
        var now = _time.GetUtcNow();
        var limit = _options.CorrelationTimeout + _options.DispatchRecoveryGrace;
        if (item.State is not (QueueItemState.Claimed or QueueItemState.Sending or QueueItemState.Sent) || IsLive(item, now) ||
            now - (item.AttemptStartedAt ?? item.DispatchedAt ?? item.CreatedAt) <= limit)
        {
            return item;
        }

        var message = $"the start of {item.Job} could not be followed on GitHub for {limit}, so the service stopped trying: {reason}";
        var (ended, applied) = await QueueItemWriter.TransitionAsync(_items, item, i =>
            i.State is QueueItemState.Claimed or QueueItemState.Sending or QueueItemState.Sent && !IsLive(i, _time.GetUtcNow())
                ? i with { State = QueueItemState.Failed, ErrorStatus = IgorStatusMap.EndedDispatch, Error = message, LeaseUntil = null }
                : null).ConfigureAwait(false);
        if (applied)
        {
            Log.Ended(_logger, _master.Name, item.Job, item.Id, message);
        }

        return ended;
    }

    /// <summary>Whether <paramref name="current"/> is still held by the holder that wrote <paramref name="held"/> (the lease is its token).</summary>
    private static bool Holds(QueueItem current, QueueItem held) =>
        current.State == held.State && current.Attempts == held.Attempts && current.LeaseUntil == held.LeaseUntil;

    private static bool IsLive(QueueItem item, DateTimeOffset now) => item.LeaseUntil is { } lease && lease > now;

    /// <summary>A refusal fails the stage at once; trouble that passes (rate limits, 5xx, timeouts) leaves the claim for a retry.</summary>
    private static bool IsRefusal(IgorException e) =>
        e is GitHubException g ? g.Kind is GitHubFailureKind.Refused or GitHubFailureKind.Forbidden or GitHubFailureKind.NotFound or GitHubFailureKind.NotInstalled : e.StatusCode is >= 400 and < 500;

    /// <summary>A 404 at start is a job that cannot be started (Orca would retry a 404 for hours).</summary>
    private static int RefusalStatus(IgorException e) => IgorStatusMap.ForRefusedDispatch(e);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Master {Master} dispatched {Job} as queue item {QueueId} (run {RunId}, attempt {Attempt})")]
        public static partial void Dispatched(ILogger logger, string master, string job, long queueId, long? runId, int attempt);

        [LoggerMessage(2, LogLevel.Warning, "Master {Master} could not start {Job} (queue item {QueueId}): {Reason}")]
        public static partial void DispatchRefused(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Master {Master}: GitHub does not return run ids on dispatch (GHES before 3.21); dispatches are correlated by run-name")]
        public static partial void RunDetailsUnsupported(ILogger logger, string master);

        [LoggerMessage(5, LogLevel.Warning, "Master {Master}: the answer to the dispatch of {Job} (queue item {QueueId}) was lost ({Reason}); its run is looked for, it is not sent again")]
        public static partial void OutcomeUnknown(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(6, LogLevel.Warning, "Master {Master}: the dispatch of {Job} (queue item {QueueId}) waits for GitHub's rate limit: {Reason}")]
        public static partial void DispatchDeferred(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(7, LogLevel.Warning, "Master {Master}: queue item {QueueId} of {Job} taken over from a request that stopped before dispatching")]
        public static partial void TakenOver(ILogger logger, string master, string job, long queueId);

        [LoggerMessage(8, LogLevel.Error, "Master {Master}: queue item {QueueId} of {Job} ended: {Reason}")]
        public static partial void Ended(ILogger logger, string master, string job, long queueId, string reason);
    }
}
