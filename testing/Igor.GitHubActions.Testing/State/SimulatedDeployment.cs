using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing;

/// <summary>A deployment of a repository.</summary>
public sealed class SimulatedDeployment
{
    private readonly SimulatorCore _core;
    private readonly List<SimulatedDeploymentStatus> _statuses = [];

    internal SimulatedDeployment(SimulatedRepository repository, long id, string @ref, string sha, Account creator, SimulatedApp? app)
    {
        _core = repository.Core;
        Repository = repository;
        Id = id;
        Ref = @ref;
        Sha = sha;
        Creator = creator;
        PerformedViaApp = app;
        CreatedAt = _core.Now;
        UpdatedAt = CreatedAt;
    }

    public long Id { get; }

    public SimulatedRepository Repository { get; }

    public string Ref { get; }

    public string Sha { get; }

    public string Task { get; init; } = "deploy";

    /// <summary>The payload as JSON text (an object, or a JSON string when a string was sent).</summary>
    public string PayloadJson { get; init; } = "{}";

    public required string Environment { get; init; }

    public required string OriginalEnvironment { get; init; }

    public string? Description { get; init; }

    public bool TransientEnvironment { get; init; }

    public bool ProductionEnvironment { get; init; }

    public Account Creator { get; }

    /// <summary>The workflow run whose job (with an <c>environment</c>) created the deployment, or null.</summary>
    public SimulatedRun? Run { get; init; }

    /// <summary>The App whose installation token created the deployment, or null.</summary>
    public SimulatedApp? PerformedViaApp { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool Deleted { get; private set; }

    /// <summary>Statuses, oldest first.</summary>
    public IReadOnlyList<SimulatedDeploymentStatus> Statuses
    {
        get
        {
            lock (_core.Sync)
            {
                return _statuses.ToList();
            }
        }
    }

    /// <summary>The state of the latest status, or null.</summary>
    public string? LatestState
    {
        get
        {
            lock (_core.Sync)
            {
                return _statuses.Count == 0 ? null : _statuses[^1].State;
            }
        }
    }

    /// <summary>Deletes the deployment (later status requests answer 404).</summary>
    public void Delete()
    {
        lock (_core.Sync)
        {
            Deleted = true;
        }
    }

    internal List<SimulatedDeploymentStatus> StatusList => _statuses;

    internal SimulatedDeploymentStatus AddStatusUnlocked(SimulatedDeploymentStatus status)
    {
        _statuses.Add(status);
        UpdatedAt = status.CreatedAt;
        return status;
    }
}
