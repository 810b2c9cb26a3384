using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// An existing Igor on loopback, as the pass-through sees it. It records every request exactly as it arrived (method,
/// raw request target, headers, body bytes) and answers <c>/masters</c>, <c>/buildServices</c> and <c>/health</c>
/// from its settings, everything else with <see cref="Answer"/> or <see cref="Handler"/>.
/// </summary>
public sealed class FakeIgor : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<IgorRequest> _received = new();

    private FakeIgor(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<IgorRequest> Received => [.. _received];

    /// <summary>Masters by lower-case type, as Igor's <c>/masters?type=</c> lists them.</summary>
    public Dictionary<string, string[]> Masters { get; } = new(StringComparer.Ordinal) { ["jenkins"] = ["jenkins-ci"] };

    public string BuildServicesJson { get; set; } =
        """[{"name":"jenkins-ci","buildServiceProvider":"JENKINS","permissions":{"READ":["ops"]}}]""";

    /// <summary>While set, every request is answered 503 (Igor failing).</summary>
    public bool Down { get; set; }

    /// <summary>The answer to any other request.</summary>
    public FakeIgorAnswer Answer { get; set; } = DefaultAnswer;

    /// <summary>When set, answers any other request instead of <see cref="Answer"/>.</summary>
    public Func<HttpContext, Task>? Handler { get; set; }

    public static async Task<FakeIgor> StartAsync()
    {
        FakeIgor? igor = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            igor = new FakeIgor(app);
            app.Run(igor.ReceiveAsync);
        });
        igor!.BaseAddress = address;
        return igor;
    }

    /// <summary>Forgets what was received so far (e.g. the service's start-up check).</summary>
    private static readonly FakeIgorAnswer DefaultAnswer = new(200, "application/json", Encoding.UTF8.GetBytes("""{"from":"igor"}"""));

    /// <summary>Forgets what was received and answers as a fresh Igor again (the default answer, no handler).</summary>
    public void Clear()
    {
        _received.Clear();
        Answer = DefaultAnswer;
        Handler = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new IgorRequest(
            context.Request.Method,
            context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray());
        _received.Enqueue(request);

        if (Down)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        switch (context.Request.Path.Value)
        {
            case "/masters" or "/masters/":
                var type = context.Request.Query["type"].ToString().ToLowerInvariant();
                var names = type.Length == 0 ? Masters.Values.SelectMany(m => m).ToArray() : Masters.GetValueOrDefault(type, []);
                await context.Response.WriteAsJsonAsync(names);
                return;
            case "/buildServices":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(BuildServicesJson);
                return;
            case "/health":
                await context.Response.WriteAsJsonAsync(new { status = "UP" });
                return;
        }

        if (Handler is { } handler)
        {
            await handler(context);
            return;
        }

        context.Response.StatusCode = Answer.Status;
        context.Response.ContentType = Answer.ContentType;
        foreach (var (name, value) in Answer.Headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.Body.WriteAsync(Answer.Body);
    }
}
