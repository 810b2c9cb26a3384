using System.Globalization;
using System.Text.Json;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Queue;

namespace Igor.GitHubActions.Webhooks.Handlers;

/// <summary>
/// <c>deployment</c>: a deployment created in an allowlisted repository becomes a webhook trigger (keyed by deployment
/// id, so a redelivery emits nothing twice), unless the service made it itself or it would close a loop.
/// </summary>
internal sealed partial class DeploymentHandler(
    IQueueItems items, EchoOutbox outbox, GitHubMasters gitHub, ILogger<DeploymentHandler> logger) : IWebhookHandler
{
    /// <summary>The App GitHub Actions creates deployments with, for jobs that name an <c>environment</c>.</summary>
    private const string ActionsAppSlug = "github-actions";

    public string Event => "deployment";

    public Task HandleAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken) =>
        DeploymentCreatedAsync(deliveryId, root, cancellationToken);

    private async Task DeploymentCreatedAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken)
    {
        if (!root.TryGetProperty("deployment", out var deployment) || deployment.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("repository", out var repositoryJson) || WebhookJson.Text(repositoryJson, "full_name") is not { } fullName || !fullName.Contains('/', StringComparison.Ordinal))
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
            Log.LoopStopped(logger, deliveryId, fullName, WebhookJson.Text(deployment, "environment") ?? "", origin.DeploymentId);
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
            WebhookJson.Text(payload, Deployments.DeploymentRequest.IntentKey) is { Length: > 0 })
        {
            return true;
        }

        var via = deployment.TryGetProperty("performed_via_github_app", out var app) && app.ValueKind == JsonValueKind.Object ? app : (JsonElement?)null;
        if (via is { } performer)
        {
            if (WebhookJson.Text(performer, "slug") == ActionsAppSlug)
            {
                return false;
            }

            var appId = performer.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.Number && idJson.TryGetInt64(out var n)
                ? n.ToString(CultureInfo.InvariantCulture)
                : null;
            var clientId = WebhookJson.Text(performer, "client_id");
            if (masters.Any(m => m.Options.UsesApp && (m.Options.AppId == appId || m.Options.AppId == clientId)))
            {
                return true;
            }
        }

        return WebhookJson.WorkflowRun(root) is null && await IsBotAsync(WebhookJson.Creator(deployment), masters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The deployment that started the chain, when this deployment was made by a run the service dispatched for an
    /// execution that a deployment of the same repository and environment triggered: forwarding it would start the same
    /// pipeline again, forever.
    /// </summary>
    private async Task<GitHub.Dispatch.DeploymentOrigin?> LoopOriginAsync(JsonElement root, JsonElement deployment, string fullName, GitHubMaster[] masters, CancellationToken cancellationToken)
    {
        if (WebhookJson.WorkflowRun(root) is not { } run || !run.TryGetProperty("id", out var idJson) || !idJson.TryGetInt64(out var runId))
        {
            return null;
        }

        var item = await items.FindByRunIdAsync(runId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            // A run of the service's own whose queue item has not learned its run id yet: decide once it has.
            if (await IsBotAsync(WebhookJson.Creator(deployment), masters, cancellationToken).ConfigureAwait(false) &&
                await HasUncorrelatedDispatchAsync(masters, fullName, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"deployment of run {runId} waits until the service's dispatches in {fullName} know their runs");
            }

            return null;
        }

        var request = item.Request is { } json ? JsonSerializer.Deserialize<GitHub.Dispatch.DispatchRequest>(json) : null;
        var environment = WebhookJson.Text(deployment, "environment");
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

    private static partial class Log
    {
        [LoggerMessage(7, LogLevel.Warning, "Delivery {DeliveryId}: not a deployment payload")]
        public static partial void NotADeployment(ILogger logger, string deliveryId);

        [LoggerMessage(4, LogLevel.Information, "Delivery {DeliveryId}: {Repository} is in no master's allowlist")]
        public static partial void RepositoryNotAllowed(ILogger logger, string deliveryId, string repository);

        [LoggerMessage(8, LogLevel.Information, "Delivery {DeliveryId}: deployment in {Repository} was created by this service's App; not triggering")]
        public static partial void OwnDeployment(ILogger logger, string deliveryId, string repository);

        [LoggerMessage(10, LogLevel.Warning, "Delivery {DeliveryId}: a deployment to {Environment} of {Repository} was made by a run the service dispatched for a pipeline that deployment {OriginId} of the same environment triggered; not triggering again (a loop)")]
        public static partial void LoopStopped(ILogger logger, string deliveryId, string repository, string environment, long originId);

        [LoggerMessage(9, LogLevel.Information, "Delivery {DeliveryId}: deployment {DeploymentId} of {Repository} triggers pipelines (new: {Emitted})")]
        public static partial void DeploymentTrigger(ILogger logger, string deliveryId, string repository, long deploymentId, bool emitted);
    }
}
