using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Webhooks;

/// <summary>
/// Turns a stored delivery into what Spinnaker consumes: a finished workflow run becomes an Igor build event (Jenkins-type
/// triggers fire on it), a created deployment becomes a webhook trigger. Both go through the outbox, keyed so that a
/// redelivered or reprocessed delivery emits nothing twice.
/// </summary>
internal sealed partial class WebhookEventHandler(
    IStateStore store, IQueueItems items, EchoOutbox outbox, GitHubMasters gitHub,
    TimeProvider time, ILogger<WebhookEventHandler> logger)
{
    /// <summary>The App GitHub Actions creates deployments with, for jobs that name an <c>environment</c>.</summary>
    private const string ActionsAppSlug = "github-actions";

    public async Task HandleAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        var root = document.RootElement;
        switch (delivery.Event)
        {
            case "workflow_run":
                await WorkflowRunCompletedAsync(delivery.Id, root, cancellationToken).ConfigureAwait(false);
                break;
            case "deployment":
                await DeploymentCreatedAsync(delivery.Id, root, cancellationToken).ConfigureAwait(false);
                break;
            case "installation" or "installation_repositories":
                foreach (var service in gitHub.All)
                {
                    service.Refresh();
                }

                Log.InstallationChanged(logger, delivery.Id);
                break;
            default:
                Log.Nothing(logger, delivery.Id, delivery.Event);
                break;
        }
    }

    private async Task WorkflowRunCompletedAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken)
    {
        if (!WorkflowRunPayload.TryRead(root, out var owner, out var repository, out var file, out var run))
        {
            Log.NotAWorkflowFileRun(logger, deliveryId);
            return;
        }

        var job = new JobName(owner, repository, file);
        var masters = gitHub.Allowing(owner, repository).ToArray();
        if (masters.Length == 0)
        {
            Log.RepositoryNotAllowed(logger, deliveryId, job.FullRepository);
            return;
        }

        // Status polls are answered from this state while webhooks flow, so GitHub is not asked.
        await store.Snapshots.SaveRunSnapshotAsync(RunSnapshots.From(run, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        foreach (var master in masters)
        {
            await store.Runs.RecordRunsAsync([new RunRecord(master.Name, job.ToString(), run.RunNumber, run.Id)], cancellationToken).ConfigureAwait(false);
            if (run.Status != "completed")
            {
                continue;
            }

            var build = WorkflowRunMapper.ToGenericBuild(job.ToString(), run, time.GetUtcNow());
            if (build.Building)
            {
                Log.StillBuilding(logger, deliveryId, job.ToString(), run.RunNumber, run.Conclusion);
                continue;
            }

            var emitted = await outbox.EmitBuildAsync(master.Name, job.ToString(), build, GitHub.Apps.CompletedRuns.EventKey(run), run.Conclusion == "skipped", cancellationToken).ConfigureAwait(false);
            Log.BuildEvent(logger, deliveryId, master.Name, job.ToString(), run.RunNumber, build.Result?.ToString() ?? "", emitted);
        }
    }

    private async Task DeploymentCreatedAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken)
    {
        if (!root.TryGetProperty("deployment", out var deployment) || deployment.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("repository", out var repositoryJson) || Text(repositoryJson, "full_name") is not { } fullName || !fullName.Contains('/', StringComparison.Ordinal))
        {
            Log.NotADeployment(logger, deliveryId);
            return;
        }

        var owner = fullName[..fullName.IndexOf('/', StringComparison.Ordinal)];
        var repository = fullName[(owner.Length + 1)..];
        var masters = gitHub.Allowing(owner, repository).ToArray();
        if (masters.Length == 0)
        {
            Log.RepositoryNotAllowed(logger, deliveryId, fullName);
            return;
        }

        if (await IsOwnAsync(root, deployment, masters, cancellationToken).ConfigureAwait(false))
        {
            // The service created it (custom stage): triggering on it again would loop.
            Log.OwnDeployment(logger, deliveryId, fullName);
            return;
        }

        if (await LoopOriginAsync(root, deployment, fullName, masters, cancellationToken).ConfigureAwait(false) is { } origin)
        {
            Operations.IgorMetrics.DeploymentLoopsStopped.Inc();
            Log.LoopStopped(logger, deliveryId, fullName, Text(deployment, "environment") ?? "", origin.DeploymentId);
            return;
        }

        var id = deployment.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.Number && idJson.TryGetInt64(out var n) ? n : 0;
        var body = DeploymentTrigger.Body(fullName, deployment);
        var emitted = await outbox.EmitWebhookAsync(
            string.Create(CultureInfo.InvariantCulture, $"deployment:{id}"), $"deployment:{fullName}", body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        Log.DeploymentTrigger(logger, deliveryId, fullName, id, emitted);
    }

    /// <summary>
    /// Whether the service itself created the deployment (the create-deployment stage): its intent id is in the payload,
    /// GitHub names the service's App as the performer, or (older GHES payloads without <c>performed_via_github_app</c>)
    /// the creator is the App's bot and no workflow run made it.
    /// </summary>
    private static async Task<bool> IsOwnAsync(JsonElement root, JsonElement deployment, GitHubMaster[] masters, CancellationToken cancellationToken)
    {
        if (deployment.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object &&
            Text(payload, Deployments.DeploymentRequest.IntentKey) is { Length: > 0 })
        {
            return true;
        }

        var via = deployment.TryGetProperty("performed_via_github_app", out var app) && app.ValueKind == JsonValueKind.Object ? app : (JsonElement?)null;
        if (via is { } performer)
        {
            if (Text(performer, "slug") == ActionsAppSlug)
            {
                return false;
            }

            var appId = performer.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.Number && idJson.TryGetInt64(out var n)
                ? n.ToString(CultureInfo.InvariantCulture)
                : null;
            var clientId = Text(performer, "client_id");
            if (masters.Any(m => m.Options.UsesApp && (m.Options.AppId == appId || m.Options.AppId == clientId)))
            {
                return true;
            }
        }

        return WorkflowRun(root) is null && await IsBotAsync(Creator(deployment), masters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The deployment that started the chain, when this deployment was made by a run the service dispatched for an
    /// execution that a deployment of the same repository and environment triggered: forwarding it would start the same
    /// pipeline again, forever.
    /// </summary>
    private async Task<GitHub.Dispatch.DeploymentOrigin?> LoopOriginAsync(JsonElement root, JsonElement deployment, string fullName, GitHubMaster[] masters, CancellationToken cancellationToken)
    {
        if (WorkflowRun(root) is not { } run || !run.TryGetProperty("id", out var idJson) || !idJson.TryGetInt64(out var runId))
        {
            return null;
        }

        var item = await items.FindByRunIdAsync(runId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            // A run of the service's own whose queue item has not learned its run id yet: decide once it has.
            if (await IsBotAsync(Creator(deployment), masters, cancellationToken).ConfigureAwait(false) &&
                await HasUncorrelatedDispatchAsync(masters, fullName, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"deployment of run {runId} waits until the service's dispatches in {fullName} know their runs");
            }

            return null;
        }

        var request = item.Request is { } json ? JsonSerializer.Deserialize<GitHub.Dispatch.DispatchRequest>(json) : null;
        var environment = Text(deployment, "environment");
        return request?.TriggeredBy is { } origin &&
               string.Equals(origin.Repository, fullName, StringComparison.OrdinalIgnoreCase) &&
               (origin.Environment is null || string.Equals(origin.Environment, environment, StringComparison.OrdinalIgnoreCase))
            ? origin
            : null;
    }

    /// <summary>Whether one of the masters has a dispatch in the repository that was sent but does not know its run yet.</summary>
    private async Task<bool> HasUncorrelatedDispatchAsync(GitHubMaster[] masters, string fullName, CancellationToken cancellationToken)
    {
        foreach (var master in masters)
        {
            if ((await items.ListOpenAsync(master.Name, cancellationToken).ConfigureAwait(false)).Any(i =>
                    i.RunId is null && i.State is QueueItemState.Sending or QueueItemState.Sent &&
                    string.Equals(JobName.Parse(i.Job).FullRepository, fullName, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the login is the bot of one of the masters' Apps (<c>GET /app</c>'s slug + <c>[bot]</c>).</summary>
    private static async Task<bool> IsBotAsync(string? login, GitHubMaster[] masters, CancellationToken cancellationToken)
    {
        if (login is null)
        {
            return false;
        }

        foreach (var master in masters.Where(m => m.Options.UsesApp))
        {
            if (string.Equals(await master.Client.GetDispatcherLoginAsync(cancellationToken).ConfigureAwait(false), login, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static JsonElement? WorkflowRun(JsonElement root) =>
        root.TryGetProperty("workflow_run", out var run) && run.ValueKind == JsonValueKind.Object ? run : null;

    private static string? Creator(JsonElement deployment) =>
        deployment.TryGetProperty("creator", out var creator) && creator.ValueKind == JsonValueKind.Object ? Text(creator, "login") : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Delivery {DeliveryId}: the App's installation changed; repository lists refreshed")]
        public static partial void InstallationChanged(ILogger logger, string deliveryId);

        [LoggerMessage(2, LogLevel.Debug, "Delivery {DeliveryId} ({Event}) needs nothing")]
        public static partial void Nothing(ILogger logger, string deliveryId, string @event);

        [LoggerMessage(3, LogLevel.Information, "Delivery {DeliveryId}: not a run of a .github/workflows file")]
        public static partial void NotAWorkflowFileRun(ILogger logger, string deliveryId);

        [LoggerMessage(4, LogLevel.Information, "Delivery {DeliveryId}: {Repository} is in no master's allowlist")]
        public static partial void RepositoryNotAllowed(ILogger logger, string deliveryId, string repository);

        [LoggerMessage(5, LogLevel.Information, "Delivery {DeliveryId}: {Job} #{RunNumber} completed as '{Conclusion}' but still waits (no event)")]
        public static partial void StillBuilding(ILogger logger, string deliveryId, string job, int runNumber, string? conclusion);

        [LoggerMessage(6, LogLevel.Information, "Delivery {DeliveryId}: build event {Master} {Job} #{RunNumber} {Result} (new: {Emitted})")]
        public static partial void BuildEvent(ILogger logger, string deliveryId, string master, string job, int runNumber, string result, bool emitted);

        [LoggerMessage(7, LogLevel.Warning, "Delivery {DeliveryId}: not a deployment payload")]
        public static partial void NotADeployment(ILogger logger, string deliveryId);

        [LoggerMessage(8, LogLevel.Information, "Delivery {DeliveryId}: deployment in {Repository} was created by this service's App; not triggering")]
        public static partial void OwnDeployment(ILogger logger, string deliveryId, string repository);

        [LoggerMessage(10, LogLevel.Warning, "Delivery {DeliveryId}: a deployment to {Environment} of {Repository} was made by a run the service dispatched for a pipeline that deployment {OriginId} of the same environment triggered; not triggering again (a loop)")]
        public static partial void LoopStopped(ILogger logger, string deliveryId, string repository, string environment, long originId);

        [LoggerMessage(9, LogLevel.Information, "Delivery {DeliveryId}: deployment {DeploymentId} of {Repository} triggers pipelines (new: {Emitted})")]
        public static partial void DeploymentTrigger(ILogger logger, string deliveryId, string repository, long deploymentId, bool emitted);
    }
}
