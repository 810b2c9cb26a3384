using System.Globalization;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Testing;

/// <summary>Faults applied to incoming requests, in the order they were added.</summary>
public sealed class FaultInjector
{
    public const string SecondaryRateLimitMessage =
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.";

    private readonly Lock _sync = new();
    private readonly List<Fault> _faults = [];
    private Func<DateTimeOffset> _now = () => TimeProvider.System.GetUtcNow();

    /// <summary>Faults not yet used up.</summary>
    public IReadOnlyList<Fault> Active
    {
        get
        {
            lock (_sync)
            {
                return _faults.Where(f => !f.Exhausted).ToList();
            }
        }
    }

    public Fault Add(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_sync)
        {
            _faults.Add(fault);
        }

        return fault;
    }

    public void Clear()
    {
        lock (_sync)
        {
            _faults.Clear();
        }
    }

    /// <summary>The next <paramref name="times"/> requests to <paramref name="method"/> <paramref name="path"/> (and below) answer <paramref name="statusCode"/>.</summary>
    public Fault FailNext(string method, string path, int times = 1, int statusCode = 500, string? body = null) => Add(new Fault
    {
        Method = method,
        PathPrefix = path,
        Times = times,
        StatusCode = statusCode,
        Body = body ?? Message(statusCode switch
        {
            500 => "Server Error",
            502 => "Server Error",
            503 => "Service Unavailable",
            504 => "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
            _ => "Simulated failure",
        }),
    });

    /// <summary>The next requests answer a primary or secondary rate-limit error. <paramref name="wait"/> is the retry-after (secondary) or the time until x-ratelimit-reset (primary); default 1 s.</summary>
    public Fault RateLimitNext(string method, string path, RateLimitKind kind = RateLimitKind.Secondary403, int times = 1, TimeSpan? wait = null)
    {
        var seconds = ((long)Math.Ceiling((wait ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var primary = kind is RateLimitKind.Primary403 or RateLimitKind.Primary429;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (primary)
        {
            headers["x-ratelimit-remaining"] = "0";
            headers["x-ratelimit-reset"] = (_now() + (wait ?? TimeSpan.FromSeconds(1))).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
        else if (kind != RateLimitKind.SecondaryWithoutRetryAfter)
        {
            headers["retry-after"] = seconds;
        }

        return Add(new Fault
        {
            Method = method,
            PathPrefix = path,
            Times = times,
            StatusCode = kind is RateLimitKind.Secondary429 or RateLimitKind.Primary429 ? 429 : 403,
            Headers = headers,
            SecondaryPenalty = primary ? null : kind == RateLimitKind.SecondaryWithoutRetryAfter ? TimeSpan.FromMinutes(1) : wait ?? TimeSpan.FromSeconds(1),
            Body = primary
                ? Message("API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api")
                : Message(SecondaryRateLimitMessage, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"),
        });
    }

    /// <summary>
    /// The next requests are refused as GitHub refuses an App a permission it lacks: 403 "Resource not accessible by
    /// integration" naming the permission in <c>X-Accepted-GitHub-Permissions</c> (the rate-limit headers are sent as always).
    /// </summary>
    public Fault RefusePermissionNext(string method, string path, string acceptedPermissions, int times = 1) => Add(new Fault
    {
        Method = method,
        PathPrefix = path,
        Times = times,
        StatusCode = 403,
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Accepted-GitHub-Permissions"] = acceptedPermissions },
        Body = Message("Resource not accessible by integration", "https://docs.github.com/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run"),
    });

    /// <summary>The next requests are served normally after <paramref name="delay"/> (real time).</summary>
    public Fault DelayNext(string method, string path, TimeSpan delay, int times = 1) =>
        Add(new Fault { Method = method, PathPrefix = path, Times = times, Delay = delay });

    /// <summary>The next requests have their connection aborted (the client sees a reset / IOException).</summary>
    public Fault ResetNext(string method, string path, int times = 1) =>
        Add(new Fault { Method = method, PathPrefix = path, Times = times, Abort = true });

    /// <summary>The next requests are carried out, then answered <paramref name="statusCode"/> (GitHub did it; the client hears a failure).</summary>
    public Fault FailAfterNext(string method, string path, int statusCode = 502, int times = 1) => Add(new Fault
    {
        Method = method,
        PathPrefix = path,
        Times = times,
        StatusCode = statusCode,
        AfterHandler = true,
        Body = Message(statusCode == 504 ? "We couldn't respond to your request in time." : "Server Error"),
    });

    /// <summary>The next requests are carried out, then left unanswered for <paramref name="delay"/> (real time) and reset: the client times out.</summary>
    public Fault HangAfterNext(string method, string path, TimeSpan delay, int times = 1) =>
        Add(new Fault { Method = method, PathPrefix = path, Times = times, Delay = delay, Abort = true, AfterHandler = true });

    /// <summary>The next requests are left unanswered before anything is done, for <paramref name="delay"/> (real time), then reset.</summary>
    public Fault HangNext(string method, string path, TimeSpan delay, int times = 1) =>
        Add(new Fault { Method = method, PathPrefix = path, Times = times, Delay = delay, Abort = true });

    internal void UseClock(Func<DateTimeOffset> now) => _now = now;

    internal Fault? TryConsume(string method, string apiPath, string fullPath, bool afterHandler = false)
    {
        lock (_sync)
        {
            return _faults.FirstOrDefault(f => f.AfterHandler == afterHandler && !f.Exhausted && f.Matches(method, apiPath, fullPath) && f.TryHit());
        }
    }

    private static string Message(string message, string documentationUrl = "https://docs.github.com/rest") =>
        new JsonObject { ["message"] = message, ["documentation_url"] = documentationUrl }.ToJsonString();
}
