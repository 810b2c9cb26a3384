using System.Text.Json;
using Igor.GitHubActions.Contracts;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.Igor.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Deployments;

/// <summary>
/// <c>POST /echo/events</c>, Echo's REST event forwarding (contract §9). Echo posts every event of every kind here, so
/// anything but a pipeline event is answered 200 after one forward pass over the body; pipeline events of executions a
/// GitHub deployment started are filed as deployment statuses (durably, before the answer).
/// </summary>
internal static partial class EchoEventEndpoints
{
    public static IEndpointRouteBuilder MapEchoEventEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/echo/events", ReceiveAsync).WithName("ReceiveEchoEvent").AllowAnonymous();
        return routes;
    }

    internal static async Task<Results<JsonHttpResult<EchoEventReceipt>, JsonHttpResult<ErrorResponse>>> ReceiveAsync(
        HttpContext context,
        IOptions<DeploymentStatusOptions> options,
        IOptions<EchoOptions> echo,
        DeploymentStatusTracker tracker,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // A forged pipeline event would write "success" on a deployment: the route is off until its secret is set.
        if (Security.SharedSecret.Check(context, settings.EventsSecret, settings.EventsSecretHeader, "Deployments:EventsSecret", "POST /echo/events") is { } refusal)
        {
            Log.BadSecret(loggers.CreateLogger(typeof(EchoEventEndpoints)), settings.EventsSecretHeader);
            return refusal;
        }

        var body = await ReadBodyAsync(context, settings.MaxEventBytes, cancellationToken).ConfigureAwait(false);
        string? type;
        try
        {
            type = PipelineEvents.ReadType(body);
            if (type is null && PipelineEvents.Unwrap(body) is { } plain)
            {
                body = plain;
                type = PipelineEvents.ReadType(body);
            }
        }
        catch (JsonException e)
        {
            throw IgorException.BadRequest($"the event is not valid JSON: {e.Message}");
        }

        if (type is not (PipelineEvents.Starting or PipelineEvents.Complete or PipelineEvents.Failed))
        {
            return Receipt(new EchoEventReceipt(false));
        }

        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("content", out var content) ||
            PipelineEvents.Execution(content, echo.Value.DeploymentSource, settings.EnvironmentUrlName) is not { } execution)
        {
            return Receipt(new EchoEventReceipt(false));
        }

        var outcome = PipelineEvents.Outcome(type, content.GetProperty("execution"))!.Value;
        var filed = await tracker.TrackAsync(outcome, execution, cancellationToken).ConfigureAwait(false);
        return Receipt(new EchoEventReceipt(filed is not null, filed));
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = $"the event is over {maxBytes} bytes (Deployments:MaxEventBytes)";
        if (context.Request.ContentLength > maxBytes)
        {
            throw IgorException.BadRequest(tooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw IgorException.BadRequest(tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "An Echo event was refused: the {Header} header is missing or wrong")]
        public static partial void BadSecret(ILogger logger, string header);
    }

    private static JsonHttpResult<EchoEventReceipt> Receipt(EchoEventReceipt receipt) => TypedResults.Json(receipt, ServiceJsonContext.Default.EchoEventReceipt);
}
