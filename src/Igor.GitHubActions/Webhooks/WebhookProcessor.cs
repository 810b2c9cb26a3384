using Igor.GitHubActions.Echo;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.Webhooks;

/// <summary>
/// Processes stored deliveries. A delivery is claimed with a lease, so a replica that dies mid-way leaves it to another,
/// and marked processed only after its events are in the outbox (whose keys make reprocessing harmless).
/// </summary>
internal sealed partial class WebhookProcessor(
    ILeasedQueue<WebhookPayload> inbox, Handlers.WebhookHandlers handler, [FromKeyedServices(WorkSignal.Deliveries)] WorkSignal signal, TimeProvider time,
    ILogger<WebhookProcessor> logger) : Operations.SignalledWorker(signal, () => TimeSpan.FromSeconds(1), logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    internal override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deliveries = await inbox.ClaimAsync(20, Lease, now, cancellationToken).ConfigureAwait(false);

        // Past half the lease the rest is given back rather than race a replica that claims it when the lease runs out.
        await Operations.LeasedBatch.Claimed(time, now, Lease)
            .RunAsync(deliveries, Lease / 2, inbox.ReleaseAsync, ProcessAsync, cancellationToken).ConfigureAwait(false);
        return deliveries.Count;
    }

    private async Task<bool> ProcessAsync(LeasedItem<WebhookPayload> item)
    {
        var delivery = WebhookPayload.Delivery(item);
        try
        {
            await handler.HandleAsync(delivery, CancellationToken.None).ConfigureAwait(false);
            await inbox.CompleteAsync(item, "processed", null, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            Operations.IgorMetrics.WebhookLag.Observe(Math.Max(0, (time.GetUtcNow() - delivery.ReceivedAt).TotalSeconds));
            return true;
        }
        catch (Exception e)
        {
            // Left claimed: it is tried again when the lease runs out.
            Log.DeliveryFailed(logger, delivery.Id, delivery.Event, e);
            return false;
        }
    }

    private static partial class Log
    {

        [LoggerMessage(2, LogLevel.Warning, "Webhook delivery {DeliveryId} ({Event}) could not be processed; it is retried after its lease")]
        public static partial void DeliveryFailed(ILogger logger, string deliveryId, string @event, Exception exception);
    }
}
