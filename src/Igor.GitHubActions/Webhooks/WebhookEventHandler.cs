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
    IOptions<GitHubOptions> options, IStateStore store, EchoOutbox outbox, BuildServiceRegistry registry, TimeProvider time,
    ILogger<WebhookEventHandler> logger)
{
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
                foreach (var service in registry.All)
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
        var masters = MastersAllowing(owner, repository).ToArray();
        if (masters.Length == 0)
        {
            Log.RepositoryNotAllowed(logger, deliveryId, job.FullRepository);
            return;
        }

        // Status polls are answered from this state while webhooks flow, so GitHub is not asked.
        await store.SaveRunSnapshotAsync(RunSnapshots.From(run, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        foreach (var master in masters)
        {
            await store.RecordRunsAsync([new RunRecord(master.Name, job.ToString(), run.RunNumber, run.Id)], cancellationToken).ConfigureAwait(false);
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

            var emitted = await outbox.EmitBuildAsync(master.Name, job.ToString(), build, GitHubActionsBuildService.EventKey(run), run.Conclusion == "skipped", cancellationToken).ConfigureAwait(false);
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
        if (!MastersAllowing(owner, repository).Any())
        {
            Log.RepositoryNotAllowed(logger, deliveryId, fullName);
            return;
        }

        if (IsOwnApp(deployment))
        {
            // The service created it (custom stage): triggering on it again would loop.
            Log.OwnDeployment(logger, deliveryId, fullName);
            return;
        }

        var id = deployment.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.Number && idJson.TryGetInt64(out var n) ? n : 0;
        var body = DeploymentTrigger.Body(fullName, deployment);
        var emitted = await outbox.EmitWebhookAsync(
            string.Create(CultureInfo.InvariantCulture, $"deployment:{id}"), $"deployment:{fullName}", body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        Log.DeploymentTrigger(logger, deliveryId, fullName, id, emitted);
    }

    private bool IsOwnApp(JsonElement deployment)
    {
        if (!deployment.TryGetProperty("performed_via_github_app", out var app) || app.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var appId = app.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.Number && idJson.TryGetInt64(out var id) ? id.ToString(CultureInfo.InvariantCulture) : null;
        var clientId = Text(app, "client_id");
        return options.Value.Masters.Any(m => m.UsesApp && (m.AppId == appId || m.AppId == clientId));
    }

    private IEnumerable<MasterOptions> MastersAllowing(string owner, string repository) =>
        options.Value.Masters.Where(m => m.Repositories.Any(entry =>
            string.Equals(entry, $"{owner}/{repository}", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(entry, $"{owner}/*", StringComparison.OrdinalIgnoreCase)));

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

        [LoggerMessage(9, LogLevel.Information, "Delivery {DeliveryId}: deployment {DeploymentId} of {Repository} triggers pipelines (new: {Emitted})")]
        public static partial void DeploymentTrigger(ILogger logger, string deliveryId, string repository, long deploymentId, bool emitted);
    }
}
