namespace Igor.GitHubActions.State;

/// <summary>
/// What the webhook inbox carries: one GitHub delivery as accepted, before it is processed. Its key is GitHub's
/// delivery id (a redelivery has the same one); it has no group, so deliveries are processed independently.
/// </summary>
internal sealed record WebhookPayload(string Event, DateTimeOffset ReceivedAt, string Body)
{
    /// <summary>The delivery a claimed inbox item holds.</summary>
    public static WebhookDelivery Delivery(LeasedItem<WebhookPayload> item) => new(item.Key, item.Payload.Event, item.Payload.Body, item.Payload.ReceivedAt);
}
