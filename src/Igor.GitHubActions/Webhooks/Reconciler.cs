using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Webhooks;

/// <summary>
/// Recovers what webhooks missed. GitHub never retries a failed delivery, so on start and then periodically this asks
/// GitHub to redeliver the App's failed deliveries, and compares recently completed runs with the build events already
/// emitted, emitting the missing ones. Runs that finished before the service first started on its store are never
/// emitted, so neither a first start nor a store found empty replays history to Echo.
/// </summary>
internal sealed partial class Reconciler(
    GitHubMasters registry, ILeasedQueue<WebhookPayload> inbox, StoreIdentityMonitor identity, EchoOutbox outbox, IOptions<GitHubOptions> options,
    TimeProvider time, ILogger<Reconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ReconciliationInterval;
        if (interval <= TimeSpan.Zero || !outbox.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        do
        {
            await ReconcileOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - options.Value.ReconciliationLookBack;

        // Runs that finished before the service first started on this store are history, not missed events: a first
        // start, or a store found empty (whose emitted-event keys are gone), replays nothing.
        var storeCreated = (await identity.CheckAsync(cancellationToken).ConfigureAwait(false)).CreatedAt;
        foreach (var service in registry.All)
        {
            if (service.RateLimitLow)
            {
                Log.Postponed(logger, service.Name);
                continue;
            }

            try
            {
                var asked = await service.FailedDeliveries.RedeliverAsync(
                    inbox.ContainsAsync, time.GetUtcNow() - options.Value.RedeliveryLookBack, cancellationToken).ConfigureAwait(false);
                var emitted = 0;
                foreach (var completed in await service.CompletedRuns.ListAsync(since, cancellationToken).ConfigureAwait(false))
                {
                    var finishedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(completed.Build.Timestamp, System.Globalization.CultureInfo.InvariantCulture))
                        + TimeSpan.FromMilliseconds(completed.Build.Duration ?? 0);
                    // GitHub's times are whole seconds: a run that ended in the very second the store was created is taken for
                    // history. A replayed trigger starts a pipeline twice; a run that ended then has its webhook.
                    if (completed.Build.Building || finishedAt < storeCreated)
                    {
                        continue;
                    }

                    if (await outbox.EmitBuildAsync(service.Name, completed.Job, completed.Build, completed.EventKey, completed.Skipped, cancellationToken).ConfigureAwait(false))
                    {
                        emitted++;
                    }
                }

                Log.Reconciled(logger, service.Name, asked, emitted);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ReconciliationFailed(logger, service.Name, e.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Reconciled master {Master}: {Redelivered} failed deliveries redelivered, {Emitted} missed build events emitted")]
        public static partial void Reconciled(ILogger logger, string master, int redelivered, int emitted);

        [LoggerMessage(3, LogLevel.Information, "Reconciliation of master {Master} postponed: GitHub's rate limit is down to its reserve")]
        public static partial void Postponed(ILogger logger, string master);

        [LoggerMessage(2, LogLevel.Warning, "Reconciliation of master {Master} failed: {Reason}")]
        public static partial void ReconciliationFailed(ILogger logger, string master, string reason);
    }
}
