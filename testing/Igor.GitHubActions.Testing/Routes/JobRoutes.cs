using System.Globalization;
using System.IO.Compression;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>Jobs of runs, job logs (302 to a plain-text blob) and run logs (302 to a zip blob).</summary>
internal static class JobRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}/jobs", (HttpContext context, string owner, string repo, long runId) =>
            RunRoutes.WithRun(core, context, owner, repo, runId, false, (run, _) =>
                ListJobs(context, run, context.Request.Query["filter"] == "all" ? null : run.RunAttempt)));
        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}/attempts/{attempt:int}/jobs", (HttpContext context, string owner, string repo, long runId, int attempt) =>
            RunRoutes.WithRun(core, context, owner, repo, runId, false, (run, _) =>
                attempt < 1 || attempt > run.RunAttempt ? ApiErrors.NotFound() : ListJobs(context, run, attempt)));

        routes.MapGet("/repos/{owner}/{repo}/actions/jobs/{jobId:long}", (HttpContext context, string owner, string repo, long jobId) =>
            WithJob(core, context, owner, repo, jobId, job => new JsonApiResult(RunJson.Job(Urls.From(context), job), 200)));

        routes.MapGet("/repos/{owner}/{repo}/actions/jobs/{jobId:long}/logs", (HttpContext context, string owner, string repo, long jobId) =>
            WithJob(core, context, owner, repo, jobId, job =>
            {
                var id = $"job-{job.Id.ToString(CultureInfo.InvariantCulture)}.txt";
                core.Blobs.Put(new BlobEntry(id, "text/plain; charset=utf-8", job.OpenLog, null));
                return Redirect(core, context, id);
            }));

        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}/logs", (HttpContext context, string owner, string repo, long runId) =>
            RunRoutes.WithRun(core, context, owner, repo, runId, false, (run, _) => RunLogs(core, context, run, run.RunAttempt)));
        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}/attempts/{attempt:int}/logs", (HttpContext context, string owner, string repo, long runId, int attempt) =>
            RunRoutes.WithRun(core, context, owner, repo, runId, false, (run, _) =>
                attempt < 1 || attempt > run.RunAttempt ? ApiErrors.NotFound() : RunLogs(core, context, run, attempt)));
    }

    /// <summary>302 to a signed blob URL on this server, valid for <see cref="GitHubSimulatorOptions.DownloadLinkLifetime"/>.</summary>
    internal static IResult Redirect(SimulatorCore core, HttpContext context, string blobId)
    {
        var url = core.Blobs.SignedUrl(Urls.From(context).Web, blobId, core.Now + core.Options.DownloadLinkLifetime);
        return JsonApiResult.Empty(StatusCodes.Status302Found, new Dictionary<string, string> { ["Location"] = url });
    }

    private static JsonApiResult ListJobs(HttpContext context, SimulatedRun run, int? attempt)
    {
        var urls = Urls.From(context);
        var all = run.JobList.Where(j => attempt is null || j.RunAttempt == attempt).ToList();
        return Paging.List(context, urls, "jobs", all, j => RunJson.Job(urls, j));
    }

    private static IResult WithJob(SimulatorCore core, HttpContext context, string owner, string repo, long jobId, Func<SimulatedJob, IResult> render)
    {
        var access = Access.Repo(core, context, owner, repo, "actions", write: false);
        if (access.Error is { } error)
        {
            return error;
        }

        lock (core.Sync)
        {
            var job = access.Repository!.RunList.SelectMany(r => r.JobList).FirstOrDefault(j => j.Id == jobId);
            return job is null ? ApiErrors.NotFound("https://docs.github.com/rest/actions/workflow-jobs#get-a-job-for-a-workflow-run") : render(job);
        }
    }

    private static IResult RunLogs(SimulatorCore core, HttpContext context, SimulatedRun run, int attempt)
    {
        // GitHub builds a run's log archive when the run (attempt) has ended; before that the endpoint answers 404.
        if (attempt == run.RunAttempt && run.StatusUnlocked != "completed")
        {
            return ApiErrors.NotFound("https://docs.github.com/rest/actions/workflow-runs#download-workflow-run-logs");
        }

        var id = $"run-{run.Id.ToString(CultureInfo.InvariantCulture)}-{attempt.ToString(CultureInfo.InvariantCulture)}.zip";
        var jobs = run.JobList.Where(j => j.RunAttempt == attempt).ToList();
        core.Blobs.Put(new BlobEntry(id, "application/zip", () => Zip(jobs), $"logs_{run.Id.ToString(CultureInfo.InvariantCulture)}.zip"));
        return Redirect(core, context, id);
    }

    /// <summary>A zip of the job logs (<c>{n}_{job name}.txt</c>), written to a temporary file deleted on close.</summary>
    private static FileStream Zip(List<SimulatedJob> jobs)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                var entry = archive.CreateEntry($"{i.ToString(CultureInfo.InvariantCulture)}_{jobs[i].Name}.txt", CompressionLevel.Fastest);
                using var target = entry.Open();
                using var log = jobs[i].OpenLog();
                log.CopyTo(target);
            }
        }

        file.Position = 0;
        return file;
    }
}
