using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing;

/// <summary>A workflow run. Tests drive it with <see cref="Start"/>, <see cref="Complete"/>, <see cref="SetStatus"/> and <see cref="Rerun()"/>.</summary>
public sealed class SimulatedRun
{
    private readonly SimulatorCore _core;
    private readonly List<SimulatedJob> _jobs = [];
    private readonly List<SimulatedArtifact> _artifacts = [];
    private readonly List<RunAttemptSnapshot> _previousAttempts = [];
    private readonly List<(string Status, TaskCompletionSource Source)> _statusWaiters = [];
    private string _status = "queued";
    private string? _conclusion;

    internal SimulatedRun(SimulatedWorkflow workflow, long id, int runNumber, long checkSuiteId)
    {
        _core = workflow.Repository.Core;
        Workflow = workflow;
        Id = id;
        RunNumber = runNumber;
        CheckSuiteId = checkSuiteId;
        CreatedAt = _core.Now;
        UpdatedAt = CreatedAt;
        RunStartedAt = CreatedAt;
    }

    public long Id { get; }

    public int RunNumber { get; }

    public int RunAttempt { get; private set; } = 1;

    public long CheckSuiteId { get; }

    public SimulatedWorkflow Workflow { get; }

    public long WorkflowId => Workflow.Id;

    public SimulatedRepository Repository => Workflow.Repository;

    public required string Event { get; init; }

    /// <summary>The branch (or tag) name the run is for.</summary>
    public required string HeadBranch { get; init; }

    public required string HeadSha { get; init; }

    public required string DisplayTitle { get; init; }

    public required Account Actor { get; init; }

    public Account TriggeringActor { get; private set; } = null!;

    public required string HeadCommitMessage { get; init; }

    public required DateTimeOffset HeadCommitTimestamp { get; init; }

    /// <summary>The inputs the dispatch request sent (not defaults), for assertions. Empty for other events.</summary>
    public required IReadOnlyDictionary<string, string> Inputs { get; init; }

    /// <summary>The repository_dispatch <c>client_payload</c> as compact JSON, or null.</summary>
    public string? ClientPayloadJson { get; init; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset RunStartedAt { get; private set; }

    public string Status => Read(() => _status);

    public string? Conclusion => Read(() => _conclusion);

    public bool CancelRequested { get; private set; }

    public bool ForceCancelRequested { get; private set; }

    /// <summary>When true, <c>/cancel</c> is accepted (202) but the run keeps going, like a job with <c>if: always()</c>. Force-cancel still works.</summary>
    public bool IgnoreCancel { get; set; }

    /// <summary>Jobs of the current attempt, in creation order.</summary>
    public IReadOnlyList<SimulatedJob> Jobs => Read(() => _jobs.Where(j => j.RunAttempt == RunAttempt).ToList());

    /// <summary>Jobs of every attempt.</summary>
    public IReadOnlyList<SimulatedJob> AllJobs => Read(() => _jobs.ToList());

    public IReadOnlyList<SimulatedArtifact> Artifacts => Read(() => _artifacts.ToList());

    internal IReadOnlyList<RunAttemptSnapshot> PreviousAttempts => _previousAttempts;

    /// <summary>queued → in_progress; sets <c>run_started_at</c>.</summary>
    public void Start()
    {
        lock (_core.Sync)
        {
            _status = "in_progress";
            RunStartedAt = _core.Now;
            Changed("in_progress");
        }
    }

    /// <summary>
    /// What GitHub does when a job of the run that names <c>environment: {name}</c> starts: it creates a deployment of the
    /// run's commit to that environment, performed by the <c>github-actions</c> App and created by whoever triggered the
    /// run (the service's bot for a run it dispatched), and sends a <c>deployment</c> webhook that carries the run.
    /// </summary>
    public SimulatedDeployment DeployFromJob(string environment)
    {
        SimulatedDeployment deployment;
        lock (_core.Sync)
        {
            deployment = new SimulatedDeployment(Repository, _core.Ids.Next(IdKind.Deployment), HeadBranch, HeadSha, TriggeringActor ?? Actor, _core.ActionsApp)
            {
                Environment = environment,
                OriginalEnvironment = environment,
                Task = "deploy",
                PayloadJson = "{}",
                ProductionEnvironment = environment == "production",
                Run = this,
            };
            Repository.DeploymentList.Add(deployment);
        }

        _core.Webhooks?.OnDeploymentCreated(deployment);
        return deployment;
    }

    /// <summary>→ completed with that conclusion (any string). Unfinished jobs complete with the same conclusion.</summary>
    public void Complete(string conclusion)
    {
        lock (_core.Sync)
        {
            _status = "completed";
            _conclusion = conclusion;
            foreach (var job in _jobs.Where(j => j.RunAttempt == RunAttempt && j.StatusUnlocked != "completed"))
            {
                job.CompleteUnlocked(conclusion);
            }

            Changed("completed");
        }
    }

    /// <summary>Sets a raw status (waiting, pending, action_required, requested, in_progress, …) without a conclusion.</summary>
    public void SetStatus(string status)
    {
        lock (_core.Sync)
        {
            _status = status;
            if (status != "completed")
            {
                _conclusion = null;
            }

            Changed(status is "in_progress" or "completed" ? status : null);
        }
    }

    /// <summary>Adds a job to the current attempt. A null <paramref name="conclusion"/> leaves the job in progress.</summary>
    public SimulatedJob AddJob(string name, string log, string? conclusion = "success") =>
        AddJob(name, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(log), writable: false), conclusion);

    /// <summary>Adds a job whose log is produced by <paramref name="logFactory"/> on each download (streamed, never buffered).</summary>
    public SimulatedJob AddJob(string name, Func<Stream> logFactory, string? conclusion = "success") => AddJob(name, logFactory, conclusion, defaultSteps: true);

    /// <summary>Adds a job; without <paramref name="defaultSteps"/> it has no steps until <see cref="SimulatedJob.AddStep"/> adds them as a runner would.</summary>
    public SimulatedJob AddJob(string name, Func<Stream> logFactory, string? conclusion, bool defaultSteps)
    {
        lock (_core.Sync)
        {
            var job = new SimulatedJob(this, _core.Ids.Next(IdKind.Job), RunAttempt, name, logFactory, conclusion, defaultSteps);
            _jobs.Add(job);
            Touch();
            return job;
        }
    }

    /// <summary>Adds an artifact; <paramref name="zipBytes"/> should be a real zip archive.</summary>
    public SimulatedArtifact AddArtifact(string name, byte[] zipBytes)
    {
        lock (_core.Sync)
        {
            var artifact = new SimulatedArtifact(this, _core.Ids.Next(IdKind.Artifact), name, zipBytes);
            _artifacts.Add(artifact);
            return artifact;
        }
    }

    /// <summary>Starts a new attempt: run_attempt++, status queued, conclusion null, run_started_at reset.</summary>
    public void Rerun() => Rerun(null);

    /// <summary>Completes when the run has that status or conclusion.</summary>
    public async Task WaitForStatusAsync(string status, TimeSpan timeout)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_core.Sync)
        {
            if (_status == status || _conclusion == status)
            {
                return;
            }

            _statusWaiters.Add((status, source));
        }

        try
        {
            await source.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Run {Id} did not reach '{status}' within {timeout} (it is {Status}/{Conclusion}).");
        }
    }

    internal void Rerun(Account? triggeredBy)
    {
        lock (_core.Sync)
        {
            _previousAttempts.Add(new RunAttemptSnapshot(RunAttempt, _status, _conclusion, RunStartedAt, UpdatedAt, TriggeringActor));
            RunAttempt++;
            _status = "queued";
            _conclusion = null;
            RunStartedAt = _core.Now;
            CancelRequested = false;
            ForceCancelRequested = false;
            TriggeringActor = triggeredBy ?? TriggeringActor;
            Changed("requested");
        }
    }

    /// <summary>Handles <c>/cancel</c> (force=false) or <c>/force-cancel</c>; false when the run is already completed.</summary>
    internal bool RequestCancel(bool force)
    {
        lock (_core.Sync)
        {
            if (_status == "completed")
            {
                return false;
            }

            CancelRequested = true;
            ForceCancelRequested |= force;
            if (force || (!IgnoreCancel && !_core.Options.DeferCancellation))
            {
                // GitHub answers 202 and stops the run's jobs afterwards: the run stays in progress for a while.
                var delay = force ? TimeSpan.Zero : _core.Options.CancellationDelay;
                if (delay <= TimeSpan.Zero)
                {
                    Complete("cancelled");
                }
                else
                {
                    _cancellation ??= _core.Options.TimeProvider.CreateTimer(_ => CompleteCancellation(), null, delay, Timeout.InfiniteTimeSpan);
                }
            }

            return true;
        }
    }

    private ITimer? _cancellation;

    private void CompleteCancellation()
    {
        lock (_core.Sync)
        {
            if (_status != "completed")
            {
                Complete("cancelled");
            }
        }
    }

    internal string StatusUnlocked => _status;

    internal string? ConclusionUnlocked => _conclusion;

    internal List<SimulatedJob> JobList => _jobs;

    internal List<SimulatedArtifact> ArtifactList => _artifacts;

    /// <summary>Records a change (under the lock): bumps updated_at, wakes waiters, queues a workflow_run webhook when <paramref name="webhookAction"/> is set.</summary>
    internal void Changed(string? webhookAction)
    {
        TriggeringActor ??= Actor;
        Touch();
        for (var i = _statusWaiters.Count - 1; i >= 0; i--)
        {
            if (_statusWaiters[i].Status == _status || _statusWaiters[i].Status == _conclusion)
            {
                _statusWaiters[i].Source.TrySetResult();
                _statusWaiters.RemoveAt(i);
            }
        }

        if (webhookAction is not null)
        {
            _core.Webhooks?.OnRunChanged(this, webhookAction);
        }
    }

    private void Touch() => UpdatedAt = _core.Now;

    private T Read<T>(Func<T> read)
    {
        lock (_core.Sync)
        {
            return read();
        }
    }
}
