namespace Igor.GitHubActions.State;

/// <summary>A GitHub webhook delivery accepted and stored before it is acknowledged, processed later.</summary>
internal sealed record WebhookDelivery(string Id, string Event, string Body, DateTimeOffset ReceivedAt);
