using System.Text;
using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing;

/// <summary>A repository with branches, tags, files, workflows, runs, deployments and commit statuses.</summary>
public sealed class SimulatedRepository
{
    private readonly SimulatorCore _core;
    private readonly GitRefs _refs;
    private readonly List<SimulatedWorkflow> _workflows = [];
    private readonly List<SimulatedRun> _runs = [];
    private readonly List<SimulatedDeployment> _deployments = [];
    private readonly List<SimulatedCommitStatus> _statuses = [];
    private readonly List<(Func<SimulatedRun, bool> Predicate, TaskCompletionSource<SimulatedRun> Source)> _runWaiters = [];

    internal SimulatedRepository(SimulatorCore core, string owner, string name, string defaultBranch)
    {
        _core = core;
        Owner = owner;
        Name = name;
        DefaultBranch = defaultBranch;
        Id = core.Ids.Next(IdKind.Repository);
        OwnerAccount = core.AccountFor(owner);
        CreatedAt = core.Now;
        _refs = new GitRefs(FullName);
        _refs.AddBranch(defaultBranch, null, core.Now);
    }

    public string Owner { get; }

    public string Name { get; }

    public string FullName => $"{Owner}/{Name}";

    public long Id { get; }

    public string DefaultBranch { get; }

    public Account OwnerAccount { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Whether the repository is private (default true).</summary>
    public bool Private { get; set; } = true;

    public string? Description { get; set; }

    internal SimulatorCore Core => _core;

    internal GitRefs Refs => _refs;

    public IReadOnlyList<string> Branches => Locked(() => _refs.Branches.Select(b => b.Name).ToList());

    public IReadOnlyList<string> Tags => Locked(() => _refs.Tags.Select(b => b.Name).ToList());

    /// <summary>All runs of all workflows, oldest first.</summary>
    public IReadOnlyList<SimulatedRun> Runs => Locked(() => _runs.ToList());

    public IReadOnlyList<SimulatedWorkflow> Workflows => Locked(() => _workflows.ToList());

    public IReadOnlyList<SimulatedDeployment> Deployments => Locked(() => _deployments.Where(d => !d.Deleted).ToList());

    public IReadOnlyList<SimulatedCommitStatus> CommitStatuses => Locked(() => _statuses.ToList());

    internal List<SimulatedRun> RunList => _runs;

    internal List<SimulatedWorkflow> WorkflowList => _workflows;

    internal List<SimulatedDeployment> DeploymentList => _deployments;

    internal List<SimulatedCommitStatus> StatusList => _statuses;

    /// <summary>Adds (or replaces) <c>.github/workflows/{fileName}</c> on <paramref name="onRef"/> (default branch when null).</summary>
    public SimulatedWorkflow AddWorkflow(string fileName, string yaml, string? onRef = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var path = $".github/workflows/{fileName}";
        lock (_core.Sync)
        {
            SetFile(path, yaml, onRef);
            var workflow = _workflows.FirstOrDefault(w => w.Path == path);
            if (workflow is null)
            {
                workflow = new SimulatedWorkflow(this, _core.Ids.Next(IdKind.Workflow), fileName, path, onRef ?? DefaultBranch);
                _workflows.Add(workflow);
            }
            else
            {
                workflow.Touch();
            }

            return workflow;
        }
    }

    /// <summary>The workflow with that file name (e.g. <c>deploy.yml</c>), path or id.</summary>
    public SimulatedWorkflow GetWorkflow(string fileName) =>
        FindWorkflow(fileName) ?? throw new KeyNotFoundException($"No workflow '{fileName}' in {FullName}.");

    internal SimulatedWorkflow? FindWorkflow(string idOrFileName)
    {
        lock (_core.Sync)
        {
            return long.TryParse(idOrFileName, out var id)
                ? _workflows.FirstOrDefault(w => w.Id == id)
                : _workflows.FirstOrDefault(w => w.FileName == idOrFileName || w.Path == idOrFileName);
        }
    }

    /// <summary>Writes a file on a branch or tag (default branch when null; an unknown ref becomes a new branch). Moves that ref's sha.</summary>
    public void SetFile(string path, string content, string? onRef = null) => SetFile(path, Encoding.UTF8.GetBytes(content), onRef);

    /// <summary>Writes a binary file on a branch or tag. Moves that ref's sha.</summary>
    public void SetFile(string path, byte[] content, string? onRef = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_core.Sync)
        {
            var state = _refs.Resolve(onRef ?? DefaultBranch, allowSha: false)?.State
                ?? _refs.AddBranch(onRef!, DefaultRef.State, _core.Now);
            state.Files[path.TrimStart('/')] = content;
            state.Revision++;
            state.UpdatedAt = _core.Now;
        }
    }

    /// <summary>Removes a file from a ref (default branch when null).</summary>
    public void DeleteFile(string path, string? onRef = null)
    {
        lock (_core.Sync)
        {
            var state = _refs.Resolve(onRef ?? DefaultBranch, allowSha: false)?.State;
            if (state is not null && state.Files.Remove(path.TrimStart('/')))
            {
                state.Revision++;
            }
        }
    }

    /// <summary>Creates a branch from <paramref name="fromRef"/> (default branch when null).</summary>
    public void AddBranch(string name, string? fromRef = null)
    {
        lock (_core.Sync)
        {
            _refs.AddBranch(name, Resolve(fromRef ?? DefaultBranch).State, _core.Now);
        }
    }

    /// <summary>Creates a tag from <paramref name="fromRef"/> (default branch when null).</summary>
    public void AddTag(string name, string? fromRef = null)
    {
        lock (_core.Sync)
        {
            _refs.AddTag(name, Resolve(fromRef ?? DefaultBranch).State, _core.Now);
        }
    }

    /// <summary>The current commit sha of a branch, tag or ref.</summary>
    public string GetHeadSha(string? reference = null) => Locked(() => Resolve(reference ?? DefaultBranch).Sha);

    /// <summary>The text of a file at a ref, or null.</summary>
    public string? GetFile(string path, string? reference = null) => Locked(() =>
        _refs.Resolve(reference ?? DefaultBranch)?.State.Files.GetValueOrDefault(path.TrimStart('/')) is { } bytes
            ? Encoding.UTF8.GetString(bytes)
            : null);

    /// <summary>Adds a commit status directly, as if a user's CI had set it.</summary>
    public SimulatedCommitStatus AddCommitStatus(string sha, string state, string context)
    {
        lock (_core.Sync)
        {
            var status = new SimulatedCommitStatus(_core.Ids.Next(IdKind.CommitStatus), Resolve(sha).Sha, state, context, null, null, _core.DefaultActor, _core.Now);
            _statuses.Add(status);
            return status;
        }
    }

    /// <summary>Creates a deployment directly (no validation, no auto-merge), as if created by a user.</summary>
    public SimulatedDeployment CreateDeployment(string @ref, string environment = "production", string task = "deploy", string? payloadJson = null, string? description = null)
    {
        lock (_core.Sync)
        {
            var deployment = new SimulatedDeployment(this, _core.Ids.Next(IdKind.Deployment), @ref, Resolve(@ref).Sha, _core.DefaultActor, null)
            {
                Environment = environment,
                OriginalEnvironment = environment,
                Task = task,
                PayloadJson = payloadJson ?? "{}",
                Description = description,
                ProductionEnvironment = environment == "production",
            };
            _deployments.Add(deployment);
            return deployment;
        }
    }

    /// <summary>Completes when a run matching <paramref name="predicate"/> exists (including runs created before the call).</summary>
    public async Task<SimulatedRun> WaitForRunAsync(Func<SimulatedRun, bool>? predicate, TimeSpan timeout)
    {
        predicate ??= _ => true;
        var source = new TaskCompletionSource<SimulatedRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_core.Sync)
        {
            var existing = _runs.FirstOrDefault(predicate);
            if (existing is not null)
            {
                return existing;
            }

            _runWaiters.Add((predicate, source));
        }

        try
        {
            return await source.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching run appeared in {FullName} within {timeout}.");
        }
    }

    internal ResolvedRef DefaultRef => _refs.Resolve(DefaultBranch, allowSha: false)!;

    internal ResolvedRef Resolve(string reference) =>
        _refs.Resolve(reference) ?? throw new KeyNotFoundException($"No ref '{reference}' in {FullName}.");

    /// <summary>Adds a run and wakes waiters; call under the lock, then raise <see cref="SimulatorCore.RaiseRunCreated"/> outside it.</summary>
    internal void AddRun(SimulatedRun run)
    {
        _runs.Add(run);
        for (var i = _runWaiters.Count - 1; i >= 0; i--)
        {
            if (_runWaiters[i].Predicate(run))
            {
                _runWaiters[i].Source.TrySetResult(run);
                _runWaiters.RemoveAt(i);
            }
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_core.Sync)
        {
            return read();
        }
    }
}
