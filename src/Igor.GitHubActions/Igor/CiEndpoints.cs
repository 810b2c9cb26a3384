using System.Globalization;
using System.Text.Json;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.Igor;

/// <summary>Deck's CI "Builds" tab through Gate (contract §5; Igor: CiController).</summary>
internal static class CiEndpoints
{
    public static IEndpointRouteBuilder MapCiEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/ci/builds", GetBuildsAsync).WithName("GetCiBuilds");
        routes.MapGet("/ci/builds/{buildId}/output", GetOutputAsync).WithName("GetCiBuildOutput");
        return routes;
    }

    internal static async Task<IResult> GetBuildsAsync(
        string? projectKey, string? repoSlug, string? completionStatus, string? buildNumber, string? commitId,
        BuildServiceRegistry registry, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(projectKey) || string.IsNullOrEmpty(repoSlug))
        {
            throw IgorException.BadRequest("give the repository as ?projectKey=OWNER&repoSlug=REPO (the application's repoProjectKey and repoSlug)");
        }

        int? number = string.IsNullOrEmpty(buildNumber) ? null : BuildEndpoints.BuildNumber(buildNumber);
        var query = new CiBuildQuery(projectKey, repoSlug, string.Equals(completionStatus, "INCOMPLETE", StringComparison.OrdinalIgnoreCase),
            number, string.IsNullOrEmpty(commitId) ? null : commitId);
        foreach (var service in registry.All)
        {
            if (await service.GetCiBuildsAsync(query, cancellationToken).ConfigureAwait(false) is { } builds)
            {
                return TypedResults.Ok(builds);
            }
        }

        // Fronting an existing Igor: a repository none of our masters has is that Igor's CI view.
        var passThrough = context.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<PassThrough.PassThroughOptions>>()?.Value;
        if (passThrough?.PassThroughUrl is not null)
        {
            await context.RequestServices.GetRequiredService<PassThrough.IgorForwarder>().ForwardAsync(context).ConfigureAwait(false);
            return Results.Empty;
        }

        throw IgorException.NotFound($"{projectKey}/{repoSlug} is not a repository of any master (masters: {string.Join(", ", registry.Names)})");
    }

    /// <summary>
    /// The whole log of a finished run, streamed as <c>{"log":"..."}</c>. For a running run the log is empty: Deck
    /// re-polls every second while the build runs and appends each answer, and Gate drops the start/limit cursor, so
    /// anything returned now would be repeated on every poll. GitHub's API has no live log stream either; the note
    /// (a key Deck ignores) says so, and the log appears once the run has finished.
    /// </summary>
    internal static async Task GetOutputAsync(string buildId, HttpContext context, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        if (!long.TryParse(buildId, NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
        {
            throw IgorException.BadRequest($"'{buildId}' is not a build id of the CI view (a GitHub run id)");
        }

        foreach (var service in registry.All)
        {
            if (await service.GetRunLogAsync(null, null, runId, cancellationToken).ConfigureAwait(false) is not { } run)
            {
                continue;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            if (run.Building)
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, string>
                {
                    ["log"] = "",
                    ["note"] = $"run {run.RunId} is {run.Status}; its log is shown once it has finished (GitHub's API has no live log stream): {run.HtmlUrl}",
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            var writer = new JsonLogWriter(context.Response.Body);
            await writer.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (var job in run.Jobs)
            {
                await writer.WriteAsync(LogPageEndpoints.JobHeader(job), cancellationToken).ConfigureAwait(false);
                if (job.Completed)
                {
                    await using var log = await service.OpenJobLogAsync(run, job.Id, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(log, cancellationToken).ConfigureAwait(false);
                }
            }

            await writer.EndAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        throw IgorException.NotFound($"no master knows the run {runId}");
    }
}
