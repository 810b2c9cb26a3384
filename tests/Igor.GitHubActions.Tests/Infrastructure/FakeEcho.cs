using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// Spinnaker Echo on loopback, as far as the service sees it: <c>POST /</c> (Igor build events) and
/// <c>POST /webhooks/webhook/{source}</c>. It records what it accepted and can refuse with a status while "down".
/// </summary>
public sealed class FakeEcho : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<EchoRequest> _accepted = new();
    private readonly List<(Func<EchoRequest, bool> Predicate, TaskCompletionSource<EchoRequest> Source)> _waiters = [];
    private int _refused;
    private int _held;

    private FakeEcho(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>While set, every request is answered with this status (Echo down or failing).</summary>
    public int? FailWith { get; set; }

    public int Refused => _refused;

    /// <summary>A status to refuse a particular request with (Echo rejecting one event it cannot take), or null to accept it.</summary>
    public Func<string, JsonNode, int?>? RefuseWhen { get; set; }

    /// <summary>While set, requests are never answered: each hangs until its client gives up or goes away.</summary>
    public bool Hang { get; set; }

    /// <summary>How many requests arrived while <see cref="Hang"/> was set.</summary>
    public int Held => _held;

    public IReadOnlyList<EchoRequest> Accepted => [.. _accepted];

    public static async Task<FakeEcho> StartAsync()
    {
        FakeEcho? echo = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            echo = new FakeEcho(app);
            app.MapPost("/{**path}", (Delegate)echo.ReceiveAsync);
        });
        echo!.BaseAddress = address;
        return echo;
    }

    /// <summary>Completes with the first accepted request (past or future) that matches.</summary>
    public async Task<EchoRequest> WaitForAsync(Func<EchoRequest, bool> predicate, TimeSpan? timeout = null)
    {
        var source = new TaskCompletionSource<EchoRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_accepted.FirstOrDefault(predicate) is { } existing)
            {
                return existing;
            }

            _waiters.Add((predicate, source));
        }

        return await source.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        if (Hang)
        {
            Interlocked.Increment(ref _held);
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (FailWith is { } status)
        {
            Interlocked.Increment(ref _refused);
            return Results.StatusCode(status);
        }

        var request = new EchoRequest(context.Request.Path.Value ?? "/", context.Request.ContentType ?? "", JsonNode.Parse(body)!);
        if (RefuseWhen?.Invoke(request.Path, request.Body) is { } refusal)
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { message = "Echo could not take this event" }, statusCode: refusal);
        }

        lock (_waiters)
        {
            _accepted.Enqueue(request);
            foreach (var waiter in _waiters.Where(w => w.Predicate(request)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Source.TrySetResult(request);
            }
        }

        return Results.Json(new { eventProcessed = true, eventId = Guid.NewGuid() });
    }
}

/// <summary>One request Echo accepted.</summary>
public sealed record EchoRequest(string Path, string ContentType, JsonNode Body);
