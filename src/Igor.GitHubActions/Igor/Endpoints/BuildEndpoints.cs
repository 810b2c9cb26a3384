using System.Globalization;
using System.Text.Json;
using Igor.GitHubActions.Igor.Http;

using Igor.GitHubActions.Security;

namespace Igor.GitHubActions.Igor.Endpoints;

/// <summary>
/// Starting, following and stopping builds as Orca, Echo and Gate call them (Igor: BuildController). Job names
/// come in the path form (slashes kept, segments encoded) or the query form (?job=, ?jobName=), contract §1.3.
/// </summary>
internal static class BuildEndpoints
{
    private const int MaxBodyBytes = 4096;

    public static IEndpointRouteBuilder MapBuildEndpoints(this IEndpointRouteBuilder routes)
    {
        // Every build route names a master: WRITE on it to start, stop or update, READ to read (Fiat, when on).
        var masters = routes.MapGroup("/masters/{master}/jobs").RequireFiat();
        masters.MapPut("/{**rest}", PutJobAsync).WithName("StartOrStopBuild");
        masters.MapPatch("/{**rest}", PatchJob).WithName("UpdateBuild");
        var builds = routes.MapGroup("/builds").RequireFiat();
        builds.MapGet("/queue/{master}/{queueId}", GetQueuedBuildAsync).WithName("GetQueuedBuild");
        builds.MapGet("/status/{buildNumber}/{master}/{**job}", GetBuildAsync).WithName("GetBuild");
        builds.MapGet("/all/{master}/{**job}", GetBuildsAsync).WithName("GetBuilds");
        builds.MapGet("/artifacts/{buildNumber}/{master}/{**job}", GetArtifactsAsync).WithName("GetBuildArtifacts");
        return routes;
    }

    /// <summary>PUT routes in Igor's precedence: stop (query form), stop (path form), then start.</summary>
    internal static async Task<IResult> PutJobAsync(string master, HttpContext context, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.Get(master);
        var segments = JobRoute.CatchAll(context);
        if (segments.Count == 3 && segments[0] == "stop")
        {
            var job = context.Request.Query.ContainsKey("jobName") ? JobRoute.FromQuery(context, "jobName") : null;
            return await StopAsync(service, job, segments[1], segments[2], cancellationToken).ConfigureAwait(false);
        }

        if (segments.Count == 6 && segments[3] == "stop")
        {
            return await StopAsync(service, JobRoute.ToJob(segments.Take(3).ToArray()), segments[4], segments[5], cancellationToken).ConfigureAwait(false);
        }

        var startJob = JobRoute.ToJob(segments);
        var request = new BuildRequest(
            Parameters(context),
            context.Request.Headers["X-SPINNAKER-EXECUTION-ID"].FirstOrDefault(),
            await StartTimeAsync(context.Request, cancellationToken).ConfigureAwait(false));
        var queueId = await service.StartBuildAsync(startJob, request, cancellationToken).ConfigureAwait(false);
        return Results.Text(queueId.ToString(CultureInfo.InvariantCulture), "text/plain");
    }

    /// <summary>Orca's backlink (<c>…/update/{n}</c>): accepted and ignored.</summary>
    internal static IResult PatchJob(string master, HttpContext context, BuildServiceRegistry registry)
    {
        registry.Get(master);
        var segments = JobRoute.CatchAll(context);
        if (segments.Count != 5 || segments[3] != "update" || !int.TryParse(segments[4], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw IgorException.BadRequest("expected PATCH /masters/{master}/jobs/{owner}/{repo}/{workflow}/update/{buildNumber}");
        }

        JobRoute.ToJob(segments.Take(3).ToArray());
        return Results.Ok();
    }

    internal static async Task<IResult> GetQueuedBuildAsync(string master, string queueId, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.Get(master);
        if (!long.TryParse(queueId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw IgorException.Gone($"'{queueId}' is not a queue id issued by this service (queue ids are digits)");
        }

        return TypedResults.Ok(await service.GetQueuedBuildAsync(id, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<IResult> GetBuildAsync(string master, string buildNumber, HttpContext context, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.Get(master);
        var job = JobFromPathOrQuery(context);
        var build = await service.GetBuildAsync(job, BuildNumber(buildNumber), cancellationToken).ConfigureAwait(false);

        return CachedJsonResult.For(build, context);
    }

    internal static async Task<IResult> GetBuildsAsync(string master, HttpContext context, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.Get(master);
        var job = JobFromPathOrQuery(context);
        return TypedResults.Ok(await service.GetBuildsAsync(job, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Orca's GetBuildArtifactsTask calls this after every waited-for build: the Spinnaker artifacts the property file
    /// declares under <c>artifacts</c>, or none without a property file.
    /// </summary>
    internal static async Task<IResult> GetArtifactsAsync(
        string master, string buildNumber, string? propertyFile, HttpContext context, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.Get(master);
        var job = JobFromPathOrQuery(context);
        var number = BuildNumber(buildNumber);
        if (!string.IsNullOrEmpty(propertyFile))
        {
            return await PropertyEndpoints.DeclaredArtifactsAsync(registry.GetProperties(master), job, number, propertyFile, cancellationToken).ConfigureAwait(false);
        }

        await service.GetBuildAsync(job, number, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Array.Empty<object>());
    }

    /// <summary>The job of a GET: the path form when segments follow, else <c>?job=</c>.</summary>
    internal static JobName JobFromPathOrQuery(HttpContext context)
    {
        var segments = JobRoute.CatchAll(context);
        return segments.Count == 0 ? JobRoute.FromQuery(context, "job") : JobRoute.ToJob(segments);
    }

    internal static int BuildNumber(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw IgorException.BadRequest($"'{value}' is not a build number (1 to {int.MaxValue})");

    private static async Task<IResult> StopAsync(IBuildService service, JobName? job, string queueId, string buildNumber, CancellationToken cancellationToken)
    {
        if (!long.TryParse(queueId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ||
            !int.TryParse(buildNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw IgorException.BadRequest($"expected digits for the queue id and build number, got '{queueId}' and '{buildNumber}'");
        }

        await service.StopBuildAsync(job, id, number, cancellationToken).ConfigureAwait(false);

        // Orca parses the answer with Jackson: a JSON scalar, never an empty body.
        return Results.Text("true", "application/json");
    }

    private static Dictionary<string, string> Parameters(HttpContext context)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Query)
        {
            if (values.Count != 1)
            {
                throw IgorException.BadRequest($"the parameter '{key}' is given {values.Count} times; give it once");
            }

            if (key.Length == 0 || key.Any(char.IsControl) || values[0]!.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            {
                throw IgorException.BadRequest($"the parameter '{key}' has an empty name or control characters");
            }

            parameters[key] = values[0]!;
        }

        return parameters;
    }

    /// <summary>Orca sends the stage start time as a JSON string; it only keys idempotency.</summary>
    private static async Task<string> StartTimeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw IgorException.BadRequest($"the start request body is over {MaxBodyBytes} bytes; Orca sends only the stage start time");
        }

        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxBodyBytes + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        if (read > MaxBodyBytes)
        {
            throw IgorException.BadRequest($"the start request body is over {MaxBodyBytes} bytes; Orca sends only the stage start time");
        }

        var body = new string(buffer, 0, read).Trim();
        if (body.StartsWith('"'))
        {
            try
            {
                return JsonSerializer.Deserialize<string>(body) ?? "";
            }
            catch (JsonException)
            {
                throw IgorException.BadRequest("the start request body is not a JSON string (Orca sends the stage start time, e.g. \"1767225600000\")");
            }
        }

        return body;
    }
}
