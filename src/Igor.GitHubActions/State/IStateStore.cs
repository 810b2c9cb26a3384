using Igor.GitHubActions.Igor.Queue;
namespace Igor.GitHubActions.State;

/// <summary>
/// The state that must survive a restart and be shared by replicas, as one port per feature; each adapter (SQLite, Redis)
/// provides every port over one database. Features take the port they need (see <c>AddStateStore</c>).
/// </summary>
internal interface IStateStore
{
    IQueueItems QueueItems { get; }

    IRunIndex Runs { get; }

    ILeasedQueue<WebhookPayload> Deliveries { get; }

    ILeasedQueue<EchoMessage> Outbox { get; }

    IRunSnapshotStore Snapshots { get; }

    IDeploymentLinks DeploymentLinks { get; }

    ILeasedQueue<DeploymentStatusWrite> DeploymentStatuses { get; }

    IStageRuns StageRuns { get; }
}
