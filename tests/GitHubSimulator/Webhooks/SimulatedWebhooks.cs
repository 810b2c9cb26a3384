using Igor.GitHubActions.GitHubSimulator.State;

namespace Igor.GitHubActions.GitHubSimulator;

/// <summary>Outgoing webhooks (placeholder until deliveries are implemented).</summary>
public sealed class SimulatedWebhooks : IDisposable
{
    private readonly SimulatorCore _core;

    internal SimulatedWebhooks(SimulatorCore core) => _core = core;

    internal void OnRunChanged(SimulatedRun run, string action)
    {
        _ = run;
        _ = action;
        _ = _core;
    }

    internal void OnDeploymentCreated(SimulatedDeployment deployment) => _ = (deployment, _core);

    internal void OnDeploymentStatusCreated(SimulatedDeployment deployment, SimulatedDeploymentStatus status)
    {
        _ = (deployment, status, _core);
    }

    public void Dispose()
    {
    }
}
