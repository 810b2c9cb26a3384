using System.Globalization;
using System.Text.Json;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Logs;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Igor.Endpoints;

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
        GitHub.GitHubMasters masters, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(projectKey) || string.IsNullOrEmpty(repoSlug))
        {
            throw IgorException.BadRequest("give the repository as ?projectKey=OWNER&repoSlug=REPO (the application's repoProjectKey and repoSlug)");
        }

        int? number = string.IsNullOrEmpty(buildNumber) ? null : BuildEndpoints.BuildNumber(buildNumber);
        var query = new CiBuildQuery(projectKey, repoSlug, string.Equals(completionStatus, "INCOMPLETE", StringComparison.OrdinalIgnoreCase),
            number, string.IsNullOrEmpty(commitId) ? null : commitId);
        foreach (var master in masters.All)
        {
            if (await master.CiBuilds.GetAsync(query, cancellationToken).ConfigureAwait(false) is { } builds)
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

        throw IgorException.NotFound($"{projectKey}/{repoSlug} is not a repository of any master (masters: {string.Join(", ", masters.All.Select(m => m.Name).Order(StringComparer.Ordinal))})");
    }

    /// <summary>
    /// The log of a run, streamed as <c>{"log":"..."}</c>: each job's status line and log, in job order. While the run
    /// goes on, the jobs finished so far up to the first one still running (GitHub serves a job's log once the job has
    /// completed), so each answer starts with the previous one; the <c>note</c> key (Deck ignores it) says what is
    /// still to come. <c>Spinnaker:CiLiveOutput: false</c> answers nothing until the run has finished.
    /// </summary>
    internal static async Task GetOutputAsync(
        string buildId, HttpContext context, GitHub.GitHubMasters masters, IOptions<SpinnakerOptions> spinnaker, CancellationToken cancellationToken)
    {
        if (!long.TryParse(buildId, NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
        {
            throw IgorException.BadRequest($"'{buildId}' is not a build id of the CI view (a GitHub run id)");
        }

        foreach (var master in masters.All)
        {
            if (await master.Logs.GetRunAsync(null, null, runId, cancellationToken).ConfigureAwait(false) is not { } run)
            {
                continue;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            if (run.Building && !spinnaker.Value.CiLiveOutput)
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, string>
                {
                    ["log"] = "",
                    ["note"] = $"run {run.RunId} is {run.Status}; its log is shown once it has finished (Spinnaker:CiLiveOutput is off): {run.HtmlUrl}",
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            var writer = new JsonLogWriter(context.Response.Body);
            await writer.StartAsync(cancellationToken).ConfigureAwait(false);
            var pending = 0;
            foreach (var job in run.Jobs)
            {
                if (run.Building && (pending > 0 || !job.Completed))
                {
                    // A job's line changes when it ends and its log exists only then: nothing after it is written yet,
                    // so the text of the next answer starts with this one.
                    pending++;
                    continue;
                }

                await writer.WriteAsync(LogPageEndpoints.JobHeader(job), cancellationToken).ConfigureAwait(false);
                if (job.Completed)
                {
                    await using var log = await master.Logs.OpenJobLogAsync(run, job.Id, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(log, cancellationToken).ConfigureAwait(false);
                }
            }

            if (run.Building)
            {
                await writer.EndAsync($"run {run.RunId} is {run.Status}: {pending} job(s) still to come (GitHub serves a job's log once the job has finished): {run.HtmlUrl}", cancellationToken).ConfigureAwait(false);
                return;
            }

            await writer.EndAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        throw IgorException.NotFound($"no master knows the run {runId}");
    }
}
