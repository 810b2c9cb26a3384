using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

/// <summary>A loopback HTTP endpoint that records webhook POSTs and answers a configurable status code.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int StatusCode { get; set; } = 200;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            await receiver._received.Writer.WriteAsync(new ReceivedWebhook(headers, body));
            return Results.StatusCode(receiver.StatusCode);
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First().TrimEnd('/') + "/hook");
        return receiver;
    }

    public async Task<ReceivedWebhook> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One received webhook.</summary>
internal sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Event => Headers["X-GitHub-Event"];
}
