using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Igor.GitHubActions.DemoHost;

/// <summary>
/// A stand-in for Spinnaker's Echo and Orca: prints what Echo would receive from the service (build events, which fire
/// Jenkins triggers; deployment webhooks, which fire webhook triggers), and for each deployment plays the pipeline
/// such a trigger starts: Orca's pipeline events go to the service's <c>/echo/events</c>, as Echo forwards them, and
/// the service writes the deployment's statuses on GitHub.
/// </summary>
internal sealed class DemoEcho(WebApplication app, DemoConsole console, HttpClient http, TimeSpan pipelineTime) : IAsyncDisposable
{
    public Uri BaseAddress => new(app.Urls.First().TrimEnd('/') + "/");

    /// <summary>The service, for the pipeline events; set once it has started.</summary>
    public Uri? Service { get; set; }

    public string EventsSecret { get; init; } = "";

    public static async Task<DemoEcho> StartAsync(DemoConsole console, TimeSpan pipelineTime, string eventsSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var echo = new DemoEcho(app, console, new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, pipelineTime) { EventsSecret = eventsSecret };
        app.MapPost("/", async (HttpContext context) =>
        {
            echo.OnBuildEvent(await context.Request.ReadFromJsonAsync<JsonObject>());
            return Results.Ok();
        });
        app.MapPost("/webhooks/webhook/{source}", async (HttpContext context, string source) =>
        {
            echo.OnWebhook(source, await context.Request.ReadFromJsonAsync<JsonObject>());
            return Results.Ok();
        });
        await app.StartAsync();
        return echo;
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    private void OnBuildEvent(JsonObject? body)
    {
        var content = body?["content"];
        var build = content?["project"]?["lastBuild"];
        console.Echo($"build event: master {content?["master"]}, job {content?["project"]?["name"]} #{build?["number"]} {build?["result"]}"
            + (build?["result"]?.ToString() == "SUCCESS" ? " -> fires the Jenkins triggers on that master and job" : " -> no Jenkins trigger fires (Echo fires on SUCCESS)"));
    }

    private void OnWebhook(string source, JsonObject? body)
    {
        var repository = body?["repository"]?.ToString();
        var environment = body?["environment"]?.ToString();
        var deploymentId = body?["deployment_id"]?.ToString();
        console.Echo($"webhook trigger '{source}': deployment {deploymentId} of {repository} ({body?["ref"]}) to {environment} by {body?["creator"]} -> fires the webhook triggers with source '{source}'");
        if (body is not null && deploymentId is not null)
        {
            _ = PlayPipelineAsync(body);
        }
    }

    /// <summary>A pipeline "Deploy to {environment}" started by that trigger: starting, then complete after a while.</summary>
    private async Task PlayPipelineAsync(JsonObject trigger)
    {
        var execution = "01DEMO" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        var pipeline = $"Deploy to {trigger["environment"]}";
        try
        {
            console.Echo($"pipeline '{pipeline}' starts (execution {execution})");
            await PostAsync(Envelope("orca:pipeline:starting", "RUNNING", execution, pipeline, trigger, end: null));
            await Task.Delay(pipelineTime);
            console.Echo($"pipeline '{pipeline}' succeeded");
            await PostAsync(Envelope("orca:pipeline:complete", "SUCCEEDED", execution, pipeline, trigger, end: TimeProvider.System.GetUtcNow()));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            console.Echo($"pipeline '{pipeline}': the service did not take its event ({e.Message})");
        }
    }

    private async Task PostAsync(JsonObject envelope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Service!, "echo/events")) { Content = JsonContent.Create(envelope) };
        request.Headers.Add("X-Igor-Events-Secret", EventsSecret);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Orca's pipeline event as Echo's REST forwarding posts it (contract §9).</summary>
    private static JsonObject Envelope(string type, string status, string execution, string pipeline, JsonObject trigger, DateTimeOffset? end)
    {
        var start = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var body = new JsonObject
        {
            ["id"] = execution,
            ["type"] = "PIPELINE",
            ["application"] = "acme",
            ["name"] = pipeline,
            ["status"] = status,
            ["canceled"] = false,
            ["startTime"] = start,
            ["trigger"] = new JsonObject
            {
                ["type"] = "webhook",
                ["source"] = "github-deployment",
                ["user"] = "[anonymous]",
                ["payload"] = trigger.DeepClone(),
                ["parameters"] = trigger["parameters"]?.DeepClone() ?? new JsonObject(),
                ["artifacts"] = new JsonArray(),
            },
            ["stages"] = new JsonArray(),
        };
        if (end is { } ended)
        {
            body["endTime"] = ended.ToUnixTimeMilliseconds();
        }

        return new JsonObject
        {
            ["details"] = new JsonObject
            {
                ["source"] = "orca",
                ["type"] = type,
                ["created"] = (end?.ToUnixTimeMilliseconds() ?? start).ToString(CultureInfo.InvariantCulture),
                ["application"] = "acme",
            },
            ["content"] = new JsonObject { ["execution"] = body, ["executionId"] = execution },
            ["eventId"] = Guid.NewGuid().ToString(),
        };
    }
}
