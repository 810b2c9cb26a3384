using System.Text.Json;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.Webhooks.Handlers;

/// <summary>
/// Turns a stored delivery into what Spinnaker consumes by handing it to the handler of its event; an event nobody
/// handles needs nothing. Every handler emits through the outbox, keyed, so a redelivered or reprocessed delivery emits
/// nothing twice.
/// </summary>
internal sealed partial class WebhookHandlers(IEnumerable<IWebhookHandler> handlers, ILogger<WebhookHandlers> logger)
{
    /// <summary>GitHub's events that mean the same as a handled one.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal) { ["installation_repositories"] = "installation" };

    private readonly Dictionary<string, IWebhookHandler> _byEvent = handlers.ToDictionary(h => h.Event, StringComparer.Ordinal);

    public async Task HandleAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var name = Aliases.GetValueOrDefault(delivery.Event, delivery.Event);
        if (!_byEvent.TryGetValue(name, out var handler))
        {
            Log.Nothing(logger, delivery.Id, delivery.Event);
            return;
        }

        using var document = JsonDocument.Parse(delivery.Body);
        await handler.HandleAsync(delivery.Id, document.RootElement, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Debug, "Delivery {DeliveryId} ({Event}) needs nothing")]
        public static partial void Nothing(ILogger logger, string deliveryId, string @event);
    }
}
