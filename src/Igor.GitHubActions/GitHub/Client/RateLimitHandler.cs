using System.Globalization;
using System.Net;
using Igor.GitHubActions.Operations;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// Keeps each installation within GitHub's rate limits (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
/// counts requests and records the primary limit GitHub reports on each response; holds requests back while the limit
/// is used up or a secondary limit's pause runs (GitHub: "continuing to make requests while you are rate limited may
/// result in the banning of your integration"); spaces content-creating requests of one installation.
/// </summary>
/// <remarks>Sits outside the resilience pipeline, so its waits never count against a request's timeout and its pause covers retries.</remarks>
internal sealed partial class RateLimitHandler(RateLimitTracker tracker, TimeProvider time, ILogger<RateLimitHandler> logger) : DelegatingHandler
{
    /// <summary>Marks an answer the service gave instead of GitHub: the end of the installation's pause.</summary>
    public const string HeldBackUntilHeader = "X-Igor-Held-Back-Until";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (master, installation) = tracker.Identify(request.Headers.Authorization?.ToString());
        var known = master != "unknown";
        if (known && HeldBack(request, master, installation) is { } early)
        {
            return early;
        }

        if (known && IsContentCreating(request.Method))
        {
            await tracker.WaitForTurnAsync(master, installation, cancellationToken).ConfigureAwait(false);

            // A pause may have begun while this request waited for its turn.
            if (HeldBack(request, master, installation) is { } late)
            {
                return late;
            }
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        IgorMetrics.GitHubRequests.WithLabels(master, installation, request.Method.Method, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)).Inc();
        if (Header(response, "x-ratelimit-remaining") is { } remaining && Header(response, "x-ratelimit-limit") is { } limit)
        {
            var reset = Header(response, "x-ratelimit-reset") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MaxValue;
            tracker.Record(master, installation, (int)remaining, (int)limit, reset);
        }

        if (known && await IsSecondaryLimitAsync(response, cancellationToken).ConfigureAwait(false))
        {
            var until = tracker.Pause(master, installation, RetryAfter(response));
            IgorMetrics.SecondaryRateLimits.WithLabels(master, installation).Inc();
            Log.SecondaryLimit(logger, master, installation, (int)response.StatusCode, request.Method.Method, request.RequestUri?.AbsolutePath ?? "", until);
        }

        return response;
    }

    /// <summary>An answer as GitHub would give it, without sending anything, while the installation must not call GitHub.</summary>
    private HttpResponseMessage? HeldBack(HttpRequestMessage request, string master, string installation)
    {
        if (tracker.ExhaustedUntil(master, installation) is { } resetAt)
        {
            IgorMetrics.HeldBack.WithLabels(master, installation, "primary").Inc();
            var primary = Answer(request,
                "API rate limit exceeded: held back by the service until x-ratelimit-reset",
                "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api");
            primary.Headers.TryAddWithoutValidation("x-ratelimit-remaining", "0");
            primary.Headers.TryAddWithoutValidation("x-ratelimit-limit", "0");
            primary.Headers.TryAddWithoutValidation("x-ratelimit-reset", resetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            return primary;
        }

        if (tracker.PausedUntil(master, installation) is { } until)
        {
            IgorMetrics.HeldBack.WithLabels(master, installation, "secondary").Inc();
            var secondary = Answer(request,
                $"You have exceeded a secondary rate limit: the service holds this installation's requests back until {until.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}",
                "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits");
            var seconds = Math.Max(1, (long)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
            secondary.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
            secondary.Headers.TryAddWithoutValidation(HeldBackUntilHeader, until.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            return secondary;
        }

        return null;
    }

    private static HttpResponseMessage Answer(HttpRequestMessage request, string message, string documentation) => new(HttpStatusCode.Forbidden)
    {
        RequestMessage = request,
        Content = new StringContent(
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message, ["documentation_url"] = documentation }),
            System.Text.Encoding.UTF8, "application/json"),
    };

    private static bool IsContentCreating(HttpMethod method) =>
        method == HttpMethod.Post || method == HttpMethod.Patch || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>
    /// GitHub's secondary limit: a 403 or 429 that is not the primary limit (whose <c>x-ratelimit-remaining</c> is 0), told
    /// by a <c>Retry-After</c> or by its message.
    /// </summary>
    private static async Task<bool> IsSecondaryLimitAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests) || Header(response, "x-ratelimit-remaining") == 0)
        {
            return false;
        }

        if (response.Headers.RetryAfter is not null || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        // Error bodies are small; buffered, they can still be read by the caller.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return body.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase) || body.Contains("abuse", StringComparison.OrdinalIgnoreCase);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "GitHub answered {Status} (secondary rate limit) to {Method} {Path} for master {Master}, installation {Installation}: its requests wait until {Until:O}")]
        public static partial void SecondaryLimit(ILogger logger, string master, string installation, int status, string method, string path, DateTimeOffset until);
    }
}
