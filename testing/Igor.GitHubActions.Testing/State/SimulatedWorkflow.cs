using System.Runtime.CompilerServices;
using System.Text;
using Igor.GitHubActions.Testing.State;
using Igor.GitHubActions.Testing.Workflows;

namespace Igor.GitHubActions.Testing;

/// <summary>A workflow file of a repository (identity by path; its content lives on each ref).</summary>
public sealed class SimulatedWorkflow
{
    private static readonly ConditionalWeakTable<byte[], WorkflowDefinition> Definitions = new();
    private readonly SimulatedRepository _repository;
    private readonly string _createdOnRef;
    private string _state = "active";
    private int _lastRunNumber;

    internal SimulatedWorkflow(SimulatedRepository repository, long id, string fileName, string path, string createdOnRef)
    {
        _repository = repository;
        _createdOnRef = createdOnRef;
        Id = id;
        FileName = fileName;
        Path = path;
        CreatedAt = repository.Core.Now;
        UpdatedAt = CreatedAt;
    }

    public long Id { get; }

    public string FileName { get; }

    /// <summary>E.g. <c>.github/workflows/deploy.yml</c>.</summary>
    public string Path { get; }

    public SimulatedRepository Repository => _repository;

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The YAML <c>name:</c> of the file on the default branch (or where it was added), else the path.</summary>
    public string Name
    {
        get
        {
            lock (_repository.Core.Sync)
            {
                var reference = _repository.Refs.Resolve(_repository.DefaultBranch, allowSha: false);
                var definition = (reference is null ? null : DefinitionAt(reference))
                    ?? (_repository.Refs.Resolve(_createdOnRef) is { } created ? DefinitionAt(created) : null);
                return definition?.Name ?? Path;
            }
        }
    }

    /// <summary><c>active</c>, <c>disabled_manually</c>, <c>disabled_inactivity</c>, <c>disabled_fork</c> or <c>deleted</c>.</summary>
    public string State
    {
        get
        {
            lock (_repository.Core.Sync)
            {
                return _state;
            }
        }
    }

    /// <summary>Runs of this workflow, oldest first.</summary>
    public IReadOnlyList<SimulatedRun> Runs
    {
        get
        {
            lock (_repository.Core.Sync)
            {
                return _repository.RunList.Where(r => r.WorkflowId == Id).ToList();
            }
        }
    }

    public void Disable() => SetState("disabled_manually");

    public void Enable() => SetState("active");

    public void SetState(string state)
    {
        lock (_repository.Core.Sync)
        {
            _state = state;
            Touch();
        }
    }

    /// <summary>Creates a run not started by a dispatch (a push by default) on <paramref name="branch"/> (default branch when null).</summary>
    public SimulatedRun CreateRun(string @event = "push", string? branch = null, string? displayTitle = null)
    {
        SimulatedRun run;
        lock (_repository.Core.Sync)
        {
            var reference = _repository.Resolve(branch ?? _repository.DefaultBranch);
            var title = displayTitle ?? $"Update {reference.Name}";
            run = CreateRunCore(@event, reference, _repository.Core.DefaultActor, title, title, new Dictionary<string, string>(), null);
        }

        _repository.Core.RaiseRunCreated(run);
        return run;
    }

    internal void Touch() => UpdatedAt = _repository.Core.Now;

    /// <summary>The definition of this workflow's file at a ref, or null when the file is not there.</summary>
    internal WorkflowDefinition? DefinitionAt(ResolvedRef reference) =>
        reference.State.Files.TryGetValue(Path, out var bytes)
            ? Definitions.GetValue(bytes, b => WorkflowDefinition.Parse(Encoding.UTF8.GetString(b)))
            : null;

    internal int PeekNextRunNumber() => _lastRunNumber + 1;

    /// <summary>Creates and registers a run; call under the lock and raise RunCreated afterwards.</summary>
    internal SimulatedRun CreateRunCore(
        string @event,
        ResolvedRef reference,
        Account actor,
        string displayTitle,
        string commitMessage,
        IReadOnlyDictionary<string, string> inputs,
        string? clientPayloadJson)
    {
        var core = _repository.Core;
        var run = new SimulatedRun(this, core.Ids.Next(IdKind.Run), ++_lastRunNumber, core.Ids.Next(IdKind.CheckSuite))
        {
            Event = @event,
            HeadBranch = reference.Name,
            HeadSha = reference.Sha,
            Actor = actor,
            DisplayTitle = displayTitle,
            HeadCommitMessage = commitMessage,
            HeadCommitTimestamp = reference.State.UpdatedAt,
            Inputs = inputs,
            ClientPayloadJson = clientPayloadJson,
        };
        _repository.AddRun(run);
        run.Changed("requested");
        return run;
    }
}
