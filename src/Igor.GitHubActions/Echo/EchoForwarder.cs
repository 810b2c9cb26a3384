using System.Text;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Echo;

/// <summary>
/// Drains the outbox to Echo: in order per job, with exponential backoff while Echo is down or answers errors.
/// A message is claimed in the store before it is sent, so two replicas never both send it.
/// </summary>
internal sealed partial class EchoForwarder(
    ILeasedQueue<EchoMessage> store, IEchoApi echo, [FromKeyedServices(WorkSignal.Outbox)] WorkSignal signal, IOptions<EchoOptions> options, TimeProvider time, ILogger<EchoForwarder> logger)
    : Operations.SignalledWorker(signal, () => options.Value.PollInterval, logger)
{
    /// <summary>Sends every message that is due now; returns how many Echo accepted.</summary>
    internal override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BaseUrl is null)
        {
            return 0;
        }

        // A message is sent at most once per lease: the lease covers a few Echo timeouts, and a message is only
        // started while one more timeout still fits in it. After a crash its messages fall due again when it runs out.
        var timeout = options.Value.RequestTimeout;
        var now = time.GetUtcNow();
        var lease = timeout * 4;
        var messages = await store.ClaimAsync(50, lease, now, cancellationToken).ConfigureAwait(false);
        var (accepted, givenBack) = await Operations.LeasedBatch.Claimed(time, now, lease).RunAsync(
            messages, timeout + TimeSpan.FromSeconds(1), store.ReleaseAsync, SendAsync, cancellationToken).ConfigureAwait(false);
        if (givenBack > 0)
        {
            Log.Released(logger, givenBack);
        }

        if (messages.Count > 0)
        {
            Operations.IgorMetrics.OutboxDepth.Set(await store.CountPendingAsync(CancellationToken.None).ConfigureAwait(false));
        }

        return accepted;
    }

    /// <summary>Posts one message; true when Echo accepted it, else it is rescheduled with backoff.</summary>
    private async Task<bool> SendAsync(LeasedItem<EchoMessage> message)
    {
        try
        {
            using var body = new StringContent(message.Payload.Body, Encoding.UTF8, "application/json");
            if (message.Payload.Path == "/")
            {
                await echo.PostEventAsync(body, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await echo.PostWebhookAsync(message.Payload.Path["/webhooks/webhook/".Length..], body, CancellationToken.None).ConfigureAwait(false);
            }

            if (!await store.CompleteAsync(message, "delivered", null, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
            {
                // Another worker claimed it when this lease ran out, and sends it again (Echo has it twice): its outcome stands.
                Log.ClaimLost(logger, message.Key);
                return false;
            }

            Log.Delivered(logger, message.Key, message.Attempts + 1);
            return true;
        }
        catch (Refit.ApiException e) when (IsPermanent(e) && message.Attempts + 1 >= options.Value.MaxAttempts)
        {
            // Echo refuses this message for good: move it aside so the rest of its job's events go on.
            await store.DeadLetterAsync(message, Describe(e), time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            Operations.IgorMetrics.DeadLetters.Inc();
            Log.DeadLettered(logger, message.Key, message.Attempts + 1, Describe(e));
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or Refit.ApiException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            var delay = Backoff(message.Attempts);
            await store.RescheduleAsync(message, time.GetUtcNow() + delay, Describe(e), CancellationToken.None).ConfigureAwait(false);
            Log.DeliveryFailed(logger, message.Key, message.Attempts + 1, delay, Describe(e));
            return false;
        }
    }

    /// <summary>A refusal that sending again will not change; 408 and 429 say "later", 5xx say nothing about the message.</summary>
    private static bool IsPermanent(Refit.ApiException e) => (int)e.StatusCode is >= 400 and < 500 and not 408 and not 429;

    private TimeSpan Backoff(int attempts)
    {
        var delay = options.Value.RetryDelay * Math.Pow(2, Math.Min(attempts, 20));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }

    private static string Describe(Exception e) => e switch
    {
        Refit.ApiException api => $"Echo answered {(int)api.StatusCode}",
        HttpRequestException http => $"Echo unreachable ({http.HttpRequestError})",
        _ => "Echo did not answer in time",
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Echo accepted {Key} (attempt {Attempt})")]
        public static partial void Delivered(ILogger logger, string key, int attempt);

        [LoggerMessage(2, LogLevel.Warning, "Echo did not accept {Key} (attempt {Attempt}): {Reason}; retrying in {Delay}")]
        public static partial void DeliveryFailed(ILogger logger, string key, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(4, LogLevel.Error, "Echo refused {Key} {Attempts} times ({Reason}): moved aside (GET /admin/outbox/dead-letters lists it); the next events of its job go on")]
        public static partial void DeadLettered(ILogger logger, string key, int attempts, string reason);

        [LoggerMessage(5, LogLevel.Warning, "Echo accepted {Key} after this replica's claim on it ran out; the replica that claimed it since sends it too")]
        public static partial void ClaimLost(ILogger logger, string key);

        [LoggerMessage(3, LogLevel.Information, "Stopping, or Echo is slow: {Count} claimed messages given back for the next pass")]
        public static partial void Released(ILogger logger, int count);
    }
}
