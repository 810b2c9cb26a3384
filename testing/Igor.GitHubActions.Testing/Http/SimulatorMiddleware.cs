using System.Globalization;
using System.Text;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Http;

/// <summary>The request pipeline in front of the routes: recording, API version check, rate limits, faults.</summary>
internal sealed class SimulatorMiddleware(SimulatorCore core)
{
    public const string AbortedKey = "sim.aborted";
    public const string BlobPrefix = "/_blobs/";

    /// <summary>github.com's web pages the simulator plays (the App manifest flow), at the root only: no API headers or limits.</summary>
    public static bool IsWebPage(HttpContext context) =>
        !context.Request.PathBase.HasValue && context.Request.Path.Value is { } path
        && (path.StartsWith("/settings/apps/", StringComparison.Ordinal) || (path.StartsWith("/organizations/", StringComparison.Ordinal) && path.Contains("/settings/apps/", StringComparison.Ordinal)));
    public const string BucketKey = "sim.ratelimit";

    private static readonly HashSet<string> SupportedVersions = new(StringComparer.Ordinal) { "2022-11-28", "2026-03-10" };

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var at = core.Now;
        context.Request.EnableBuffering();
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, false, 4096, leaveOpen: true))
        {
            context.Items[RequestBody.ItemKey] = await reader.ReadToEndAsync(context.RequestAborted);
        }

        context.Request.Body.Position = 0;
        var status = 0;
        try
        {
            await HandleAsync(context, next);
            status = context.Items.ContainsKey(AbortedKey) ? 0 : context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 0;
        }
        catch (Exception)
        {
            status = 500;
            throw;
        }
        finally
        {
            core.Requests.Add(new RecordedRequest(
                context.Request.Method,
                $"{context.Request.PathBase}{context.Request.Path}",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                RequestBody.Text(context),
                status,
                at));
        }
    }

    private async Task HandleAsync(HttpContext context, Func<Task> next)
    {
        var apiPath = context.Request.Path.Value ?? "/";
        var fullPath = $"{context.Request.PathBase}{context.Request.Path}";
        if (IsWebPage(context))
        {
            await next();
            return;
        }

        if (apiPath.StartsWith(BlobPrefix, StringComparison.Ordinal))
        {
            if (!await ApplyFaultAsync(context, apiPath, fullPath))
            {
                await next();
            }

            return;
        }

        if (core.Options.EnterpriseOnly && !context.Request.PathBase.HasValue)
        {
            await Results.Text("Not Found", "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }

        var version = context.Request.Headers["X-GitHub-Api-Version"].ToString();
        var enterpriseLegacy = core.Options.RunDetails != DispatchRunDetailsSupport.Supported;
        context.Response.Headers["X-GitHub-Api-Version-Selected"] = version.Length == 0 ? "2022-11-28" : version;
        context.Response.Headers["X-GitHub-Media-Type"] = "github.v3; format=json";
        context.Response.Headers["X-GitHub-Request-Id"] = Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        if (context.Request.PathBase.HasValue)
        {
            context.Response.Headers["X-GitHub-Enterprise-Version"] = enterpriseLegacy ? "3.20.0" : "3.21.0";
        }

        if (version.Length > 0 && (!SupportedVersions.Contains(version) || (enterpriseLegacy && version != "2022-11-28")))
        {
            context.Response.Headers.Remove("X-GitHub-Api-Version-Selected");
            var supported = enterpriseLegacy ? "2022-11-28" : "2022-11-28, 2026-03-10";
            await ApiErrors.Error(StatusCodes.Status400BadRequest, $"Unsupported 'X-GitHub-Api-Version' header: '{version}'. The supported API versions are {supported}.", "https://docs.github.com/rest/about-the-rest-api/api-versions").ExecuteAsync(context);
            return;
        }

        if (!await CountRateLimitAsync(context, apiPath))
        {
            return;
        }

        var (key, _, _) = Bucket(context);
        var caller = key.StartsWith("installation:", StringComparison.Ordinal) || key.StartsWith("user:", StringComparison.Ordinal);
        if (caller && core.SecondaryLimits.Check(key, IsContentCreating(context.Request.Method), core.Now, core.Options.ContentCreationLimitPerMinute, core.Options.SecondaryLimitPenalty) is { } until)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling((until - core.Now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await ApiErrors.Error(StatusCodes.Status403Forbidden, FaultInjector.SecondaryRateLimitMessage,
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    headers: new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["retry-after"] = seconds })
                .ExecuteAsync(context);
            return;
        }

        var fault = core.Faults.TryConsume(context.Request.Method, apiPath, fullPath);
        if (fault is not null && await AnswerAsync(context, fault))
        {
            if (caller && fault.SecondaryPenalty is { } penalty)
            {
                core.SecondaryLimits.Penalize(key, core.Now + penalty);
            }

            return;
        }

        await RunThenApplyFaultAsync(context, apiPath, fullPath, next);
    }

    private static bool IsContentCreating(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    /// <summary>Runs the handler; when an after-handler fault matches, its effect stays and its answer is replaced by the fault.</summary>
    private async Task RunThenApplyFaultAsync(HttpContext context, string apiPath, string fullPath, Func<Task> next)
    {
        var fault = core.Faults.TryConsume(context.Request.Method, apiPath, fullPath, afterHandler: true);
        if (fault is null)
        {
            await next();
            return;
        }

        var original = context.Response.Body;
        using var discarded = new MemoryStream();
        context.Response.Body = discarded;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }

        context.Response.Headers.Remove("Content-Length");
        context.Response.Headers.Remove("Location");
        context.Response.StatusCode = StatusCodes.Status200OK;
        await AnswerAsync(context, fault);
    }

    /// <summary>Sets the x-ratelimit-* headers (counting unless 304) and answers 403 when the window is used up. False when the request was answered.</summary>
    private async Task<bool> CountRateLimitAsync(HttpContext context, string apiPath)
    {
        var (key, limit, who) = Bucket(context);
        var bucket = core.RateLimits.Get(key, limit, core.Now);
        var free = apiPath.Equals("/rate_limit", StringComparison.Ordinal);
        context.Items[BucketKey] = bucket;
        if (bucket.Remaining <= 0 && !free)
        {
            var reset = bucket.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["x-ratelimit-limit"] = bucket.Limit.ToString(CultureInfo.InvariantCulture),
                ["x-ratelimit-remaining"] = "0",
                ["x-ratelimit-used"] = bucket.Used.ToString(CultureInfo.InvariantCulture),
                ["x-ratelimit-reset"] = reset,
                ["x-ratelimit-resource"] = "core",
            };
            await ApiErrors.Error(StatusCodes.Status403Forbidden, $"API rate limit exceeded for {who}.", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", headers: headers)
                .ExecuteAsync(context);
            return false;
        }

        context.Response.OnStarting(() =>
        {
            var consume = !free && context.Response.StatusCode != StatusCodes.Status304NotModified;
            var (l, remaining, used, reset) = core.RateLimits.Count(bucket, consume);
            var headers = context.Response.Headers;
            headers.TryAdd("x-ratelimit-limit", l.ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-remaining", remaining.ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-used", used.ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-resource", "core");
            return Task.CompletedTask;
        });
        return true;
    }

    private (string Key, int Limit, string Who) Bucket(HttpContext context)
    {
        var credential = Access.Credential(context);
        if (credential is not null)
        {
            lock (core.Sync)
            {
                if (core.Tokens.TryGetValue(credential, out var token))
                {
                    return token.Installation is { } installation
                        ? ($"installation:{installation.Id}", core.Options.RateLimitPerHour, $"installation ID {installation.Id}")
                        : ($"user:{token.Actor.Id}", core.Options.RateLimitPerHour, $"user ID {token.Actor.Id}");
                }
            }

            if (JwtValidator.PeekIssuer(credential) is { } issuer)
            {
                return ($"app:{issuer}", core.Options.RateLimitPerHour, $"app {issuer}");
            }
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return ($"ip:{address}", Math.Min(60, core.Options.RateLimitPerHour), address);
    }

    /// <summary>Applies the first matching fault; true when the request was answered or aborted.</summary>
    private async Task<bool> ApplyFaultAsync(HttpContext context, string apiPath, string fullPath)
    {
        var fault = core.Faults.TryConsume(context.Request.Method, apiPath, fullPath);
        return fault is not null && await AnswerAsync(context, fault);
    }

    /// <summary>Waits, resets or answers as the fault says; false when the request should go on to the simulator.</summary>
    private static async Task<bool> AnswerAsync(HttpContext context, Fault fault)
    {
        if (fault.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                context.Items[AbortedKey] = true;
                return true;
            }
        }

        if (fault.Abort)
        {
            context.Items[AbortedKey] = true;
            context.Abort();
            return true;
        }

        if (fault.StatusCode is not { } status)
        {
            return false;
        }

        foreach (var (name, value) in fault.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.StatusCode = status;
        if (fault.Body is { } body)
        {
            context.Response.ContentType = fault.ContentType;
            await context.Response.WriteAsync(body, context.RequestAborted);
        }

        return true;
    }
}
