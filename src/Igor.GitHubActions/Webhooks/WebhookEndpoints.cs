using System.Text;
using System.Text.Json;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Contracts;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Webhooks;

/// <summary>
/// <c>POST /webhooks/github</c>, the GitHub App's webhook. The signature is checked over the raw body as it streams in,
/// in constant time (<see cref="SignedBody"/>), the delivery is written to the store and acknowledged at once, and
/// processed in the background: GitHub allows 10 seconds and never retries a failed delivery by itself.
/// </summary>
internal static partial class WebhookEndpoints
{
    private static readonly string[] HandledEvents = ["workflow_run", "deployment", "ping", "installation", "installation_repositories"];

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhooks/github", ReceiveAsync).WithName("ReceiveGitHubWebhook").AllowAnonymous();
        return routes;
    }

    internal static async Task<Results<JsonHttpResult<WebhookReceipt>, JsonHttpResult<ErrorResponse>>> ReceiveAsync(
        HttpContext context,
        IOptions<GitHubOptions> options,
        ILeasedQueue<WebhookPayload> inbox,
        [FromKeyedServices(WorkSignal.Deliveries)] WorkSignal signal,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(WebhookEndpoints));
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new IgorException(StatusCodes.Status503ServiceUnavailable, "the webhook endpoint is off: set GitHub:WebhookSecret to the GitHub App's webhook secret");
        }

        // The signature is checked as the body streams in; what is not verified yet stays on disk past 64 KB, so unsigned
        // requests cost bounded memory however large and however many they are.
        var body = await SignedBody.ReadAsync(context, secret, options.Value.WebhookMaxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            Log.BadSignature(logger, context.Request.Headers["X-GitHub-Delivery"].ToString());
            return IgorErrors.Result(401, "the X-Hub-Signature-256 header is missing or does not match the body signed with the webhook secret");
        }

        var eventName = context.Request.Headers["X-GitHub-Event"].ToString();
        var deliveryId = context.Request.Headers["X-GitHub-Delivery"].ToString();
        if (eventName.Length is 0 or > 100 || deliveryId.Length is 0 or > 100)
        {
            throw IgorException.BadRequest("a GitHub delivery carries the X-GitHub-Event and X-GitHub-Delivery headers");
        }

        string? action;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw IgorException.BadRequest("the webhook body is not a JSON object");
            }

            action = document.RootElement.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        }
        catch (JsonException e)
        {
            throw IgorException.BadRequest($"the webhook body is not valid JSON: {e.Message}");
        }

        if (!Handled(eventName, action))
        {
            Log.Ignored(logger, deliveryId, eventName, action);
            return Receipt(new WebhookReceipt(false, Reason: $"{eventName}{(action is null ? "" : "." + action)} is not used by this service"), StatusCodes.Status202Accepted);
        }

        // Stored under GitHub's delivery id, so a redelivery is acknowledged and not stored again.
        var now = time.GetUtcNow();
        var added = await inbox.EnqueueAsync(new NewLeasedItem<WebhookPayload>(deliveryId, "", new WebhookPayload(eventName, now, Encoding.UTF8.GetString(body)), now), cancellationToken)
            .ConfigureAwait(false);
        if (!added)
        {
            Log.Duplicate(logger, deliveryId, eventName);
            return Receipt(new WebhookReceipt(true, Duplicate: true), StatusCodes.Status200OK);
        }

        signal.Notify();
        Log.Accepted(logger, deliveryId, eventName, action);
        return Receipt(new WebhookReceipt(true), StatusCodes.Status202Accepted);
    }

    private static bool Handled(string eventName, string? action) => eventName switch
    {
        "workflow_run" => action is "requested" or "in_progress" or "completed",
        "deployment" => action == "created",
        _ => HandledEvents.Contains(eventName),
    };

    private static JsonHttpResult<WebhookReceipt> Receipt(WebhookReceipt receipt, int status) =>
        TypedResults.Json(receipt, ServiceJsonContext.Default.WebhookReceipt, statusCode: status);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Webhook delivery {DeliveryId} refused: bad or missing signature")]
        public static partial void BadSignature(ILogger logger, string deliveryId);

        [LoggerMessage(2, LogLevel.Information, "Webhook delivery {DeliveryId} ({Event}.{Action}) accepted")]
        public static partial void Accepted(ILogger logger, string deliveryId, string @event, string? action);

        [LoggerMessage(3, LogLevel.Information, "Webhook delivery {DeliveryId} ({Event}) was accepted before; ignored")]
        public static partial void Duplicate(ILogger logger, string deliveryId, string @event);

        [LoggerMessage(4, LogLevel.Debug, "Webhook delivery {DeliveryId} ({Event}.{Action}) is not used")]
        public static partial void Ignored(ILogger logger, string deliveryId, string @event, string? action);
    }
}
