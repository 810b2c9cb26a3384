namespace Igor.GitHubActions.State;

/// <summary>The webhook inbox: deliveries accepted once by id, then claimed and processed under a lease.</summary>
internal interface IDeliveryLog
{
    /// <summary>Stores a webhook delivery; false when a delivery with this id was already accepted (a redelivery).</summary>
    Task<bool> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Whether a delivery id was already accepted.</summary>
    Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> unprocessed deliveries for <paramref name="lease"/>; a claim that expires is claimed again.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back claims a worker took but did not start (it is stopping, or its lease would not cover them), so that any
    /// worker can claim them at once instead of after the lease. Only claims still held under <paramref name="leaseUntil"/>
    /// are released: one that expired and was claimed by another worker meanwhile stays with that worker.
    /// </summary>
    Task ReleaseDeliveriesAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Marks a delivery processed.</summary>
    Task CompleteDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken);
}
