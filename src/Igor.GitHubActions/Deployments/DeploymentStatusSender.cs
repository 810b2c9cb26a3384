using System.Text.Json;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Deployments;

/// <summary>
/// Writes queued deployment statuses to GitHub, in order per execution. A status GitHub refuses (404 deployment deleted,
/// 403, 422, a repository no master allows) is logged with the reason and dropped; 5xx, rate limits and timeouts are
/// retried with backoff, up to <see cref="DeploymentStatusOptions.MaxAttempts"/>.
/// </summary>
internal sealed partial class DeploymentStatusSender(
    ILeasedQueue<DeploymentStatusWrite> store,
    GitHub.GitHubMasters gitHub,
    [FromKeyedServices(DeploymentStatusSender.SignalKey)] WorkSignal signal,
    IOptions<DeploymentStatusOptions> options,
    IOptions<Configuration.GitHubOptions> gitHubOptions,
    TimeProvider time,
    ILogger<DeploymentStatusSender> logger) : Operations.SignalledWorker(signal, () => options.Value.PollInterval, logger)
{
    public const string SignalKey = "deployment-statuses";

    /// <summary>Sends every status due now; returns how many were done (sent or given up).</summary>
    internal override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        // A status is written at most once per lease: one needs up to two GitHub requests (the master's repository
        // list, the POST), and is only started while both still fit in the lease.
        var budget = gitHubOptions.Value.RequestTimeout * 2;
        var now = time.GetUtcNow();
        var lease = budget * 2;
        var messages = await store.ClaimAsync(50, lease, now, cancellationToken).ConfigureAwait(false);
        var (done, _) = await Operations.LeasedBatch.Claimed(time, now, lease).RunAsync(
            messages, budget, store.ReleaseAsync, SendAsync, cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <summary>Writes one status; true when it is done (sent, refused or given up), false when it will be retried.</summary>
    private async Task<bool> SendAsync(LeasedItem<DeploymentStatusWrite> item)
    {
        var message = item.Payload;
        var slash = message.Repository.IndexOf('/', StringComparison.Ordinal);
        var (owner, repository) = (message.Repository[..slash], message.Repository[(slash + 1)..]);
        try
        {
            var service = await MasterForAsync(owner, repository, CancellationToken.None).ConfigureAwait(false);
            var request = Request(message.Body);
            // Asked before every write, the first included: an earlier attempt's answer may have been lost after GitHub
            // wrote it (a 5xx, a timeout), or its process killed before it recorded the write (its claim then ran out
            // with no attempt counted). Either way, not a second time.
            if (await AlreadyWrittenAsync(service.Name, owner, repository, message.DeploymentId, request, firstAttempt: item.Attempts == 0).ConfigureAwait(false))
            {
                await store.CompleteAsync(item, "sent", null, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                Log.FoundWritten(logger, message.State, message.Repository, message.DeploymentId, item.Group);
                return true;
            }

            await service.Deployments.CreateDeploymentStatusAsync(owner, repository, message.DeploymentId, request, CancellationToken.None).ConfigureAwait(false);
            await store.CompleteAsync(item, "sent", null, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            Log.Sent(logger, message.State, message.Repository, message.DeploymentId, item.Group);
            return true;
        }
        catch (IgorException e) when (e.StatusCode is >= 400 and < 500 and not StatusCodes.Status429TooManyRequests or StatusCodes.Status502BadGateway)
        {
            await store.CompleteAsync(item, "refused", e.Message, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            Log.Refused(logger, message.State, message.Repository, message.DeploymentId, item.Group, e.StatusCode, e.Message);
            return true;
        }
        catch (Exception e) when (e is IgorException or HttpRequestException or TimeoutException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            var reason = e is IgorException igor ? igor.Message : $"GitHub did not answer ({e.GetType().Name})";
            if (item.Attempts + 1 >= options.Value.MaxAttempts)
            {
                await store.CompleteAsync(item, "abandoned", reason, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                Log.GivenUp(logger, message.State, message.Repository, message.DeploymentId, item.Attempts + 1, reason);
                return true;
            }

            var delay = Backoff(item.Attempts);
            await store.RescheduleAsync(item, time.GetUtcNow() + delay, reason, CancellationToken.None).ConfigureAwait(false);
            Log.Retrying(logger, message.State, message.Repository, message.DeploymentId, item.Attempts + 1, delay, reason);
            return false;
        }
    }

    /// <summary>
    /// Whether the deployment's newest status is already this one. Writing a status identical to the newest changes
    /// nothing on GitHub, so finding it is proof enough that a lost attempt went through (and a restarted pipeline's
    /// repeated outcome after a different one is still written).
    /// </summary>
    private async Task<bool> AlreadyWrittenAsync(string master, string owner, string repository, long deploymentId, DeploymentStatusRequest request, bool firstAttempt)
    {
        var client = gitHub.All.First(m => m.Name == master).Client;
        DeploymentStatusRequest? newest;
        try
        {
            newest = await client.GetLatestDeploymentStatusAsync(owner, repository, deploymentId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IgorException) when (firstAttempt)
        {
            // Nothing says a first attempt wrote before: the write itself decides (and is refused, or retried, as usual).
            return false;
        }

        return newest is not null && newest.State == request.State && Same(newest.Description, request.Description) && Same(newest.LogUrl, request.LogUrl) &&
               Same(newest.EnvironmentUrl, request.EnvironmentUrl);

        // GitHub answers "" for a field that was not sent.
        static bool Same(string? written, string? sent) => (string.IsNullOrEmpty(written) ? null : written) == (string.IsNullOrEmpty(sent) ? null : sent);
    }

    private async Task<GitHub.GitHubMaster> MasterForAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        foreach (var service in gitHub.All)
        {
            if (await service.Deployments.AllowsRepositoryAsync(owner, repository, cancellationToken).ConfigureAwait(false))
            {
                return service;
            }
        }

        throw new IgorException(StatusCodes.Status403Forbidden, $"{owner}/{repository} is not in the repository allowlist of any master");
    }

    private static DeploymentStatusRequest Request(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        bool? Flag(string name) => root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
        return new DeploymentStatusRequest(Text("state")!, Text("description"), Text("log_url"), Text("environment_url"), Text("environment"), Flag("auto_inactive"));
    }

    private TimeSpan Backoff(int attempts)
    {
        var delay = options.Value.RetryDelay * Math.Pow(2, Math.Min(attempts, 20));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Deployment status {State} written to deployment {DeploymentId} of {Repository} (execution {ExecutionId})")]
        public static partial void Sent(ILogger logger, string state, string repository, long deploymentId, string executionId);

        [LoggerMessage(2, LogLevel.Warning, "GitHub refused deployment status {State} for deployment {DeploymentId} of {Repository} (execution {ExecutionId}, {StatusCode}): {Reason}; not retried")]
        public static partial void Refused(ILogger logger, string state, string repository, long deploymentId, string executionId, int statusCode, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Deployment status {State} for deployment {DeploymentId} of {Repository} failed (attempt {Attempt}): {Reason}; retrying in {Delay}")]
        public static partial void Retrying(ILogger logger, string state, string repository, long deploymentId, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(6, LogLevel.Information, "Deployment status {State} for deployment {DeploymentId} of {Repository} (execution {ExecutionId}) was found written by an attempt whose answer was lost")]
        public static partial void FoundWritten(ILogger logger, string state, string repository, long deploymentId, string executionId);

        [LoggerMessage(4, LogLevel.Error, "Deployment status {State} for deployment {DeploymentId} of {Repository} given up after {Attempts} attempts: {Reason}")]
        public static partial void GivenUp(ILogger logger, string state, string repository, long deploymentId, int attempts, string reason);

    }
}
