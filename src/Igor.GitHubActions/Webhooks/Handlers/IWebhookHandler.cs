using System.Text.Json;

namespace Igor.GitHubActions.Webhooks.Handlers;

/// <summary>What one GitHub event does; <see cref="WebhookHandlers"/> picks it by the delivery's <c>X-GitHub-Event</c>.</summary>
internal interface IWebhookHandler
{
    /// <summary>The event name (<c>X-GitHub-Event</c>) handled.</summary>
    string Event { get; }

    Task HandleAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken);
}
