using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// Echo's REST event forwarding as the service receives it (contract §9, no wrap): Orca's pipeline events with the
/// execution, whose trigger is the webhook trigger Echo built from the body the service posted for a deployment.
/// </summary>
public sealed class EchoEvents(HttpClient http)
{
    public const long StartTime = 1767225600000;

    public string ExecutionId { get; set; } = "01JEXEC" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    public string Pipeline { get; set; } = "Deploy api";

    /// <summary>The trigger's payload: what Echo received from the service (<c>repository</c>, <c>deployment_id</c>, ...).</summary>
    public JsonObject TriggerPayload { get; set; } = [];

    public JsonObject Parameters { get; set; } = [];

    public JsonArray Stages { get; set; } = [];

    /// <summary>A trigger for a deployment, as the service's body for Echo has it.</summary>
    public static JsonObject DeploymentPayload(long deploymentId, string repository = "acme/api") => new()
    {
        ["repository"] = repository,
        ["environment"] = "production",
        ["ref"] = "main",
        ["deployment_id"] = deploymentId,
        ["parameters"] = new JsonObject { ["repository"] = repository, ["deployment_id"] = deploymentId.ToString(CultureInfo.InvariantCulture) },
    };

    public JsonObject Envelope(string type, string status, long? endTime = null, string source = "github-deployment")
    {
        var execution = new JsonObject
        {
            ["id"] = ExecutionId,
            ["type"] = "PIPELINE",
            ["application"] = "acme",
            ["name"] = Pipeline,
            ["status"] = status,
            ["canceled"] = status == "CANCELED",
            ["startTime"] = StartTime,
            ["trigger"] = new JsonObject
            {
                ["type"] = "webhook",
                ["source"] = source,
                ["user"] = "[anonymous]",
                ["payload"] = TriggerPayload.DeepClone(),
                ["parameters"] = Parameters.DeepClone(),
                ["artifacts"] = new JsonArray(),
            },
            ["stages"] = Stages.DeepClone(),
            ["authentication"] = new JsonObject { ["user"] = "anonymous" },
        };
        if (endTime is { } end)
        {
            execution["endTime"] = end;
        }

        return new JsonObject
        {
            ["details"] = new JsonObject
            {
                ["source"] = "orca",
                ["type"] = type,
                ["created"] = (endTime ?? StartTime).ToString(CultureInfo.InvariantCulture),
                ["application"] = "acme",
                ["requestHeaders"] = new JsonObject(),
            },
            ["content"] = new JsonObject { ["execution"] = execution, ["executionId"] = ExecutionId },
            ["eventId"] = Guid.NewGuid().ToString(),
        };
    }

    public Task<HttpResponseMessage> StartingAsync() => PostAsync(Envelope("orca:pipeline:starting", "RUNNING"));

    public Task<HttpResponseMessage> CompleteAsync(long endTime = StartTime + 60_000) => PostAsync(Envelope("orca:pipeline:complete", "SUCCEEDED", endTime));

    public Task<HttpResponseMessage> FailedAsync(string status = "TERMINAL", long endTime = StartTime + 60_000) => PostAsync(Envelope("orca:pipeline:failed", status, endTime));

    /// <summary>The Deployments:EventsSecret Echo is configured to send (samples/echo-local.yml); null sends no header.</summary>
    public string? Secret { get; set; } = GitHubScenario.EventsSecret;

    /// <summary>Posts as Echo's REST forwarding does: with <see cref="Secret"/>, or the given header and value.</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonNode envelope, string? secretHeader = null, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "echo/events")
        {
            Content = new StringContent(envelope.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (secretHeader is not null)
        {
            request.Headers.Add(secretHeader, secret);
        }
        else if (Secret is not null)
        {
            request.Headers.Add("X-Igor-Events-Secret", Secret);
        }

        return await http.SendAsync(request);
    }
}
