using System.Globalization;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>Artifacts: list per run or repository, get, download (302 to a zip blob; 410 when expired).</summary>
internal static class ArtifactRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}/artifacts", (HttpContext context, string owner, string repo, long runId) =>
            RunRoutes.WithRun(core, context, owner, repo, runId, false, (run, _) => List(context,
                run.Status == "completed" && core.Now - run.UpdatedAt < core.Options.ArtifactListingDelay ? [] : run.ArtifactList)));

        routes.MapGet("/repos/{owner}/{repo}/actions/artifacts", (HttpContext context, string owner, string repo) =>
        {
            var access = Access.Repo(core, context, owner, repo, "actions", write: false);
            if (access.Error is { } error)
            {
                return error;
            }

            lock (core.Sync)
            {
                return List(context, access.Repository!.RunList.SelectMany(r => r.ArtifactList).ToList());
            }
        });

        routes.MapGet("/repos/{owner}/{repo}/actions/artifacts/{artifactId:long}", (HttpContext context, string owner, string repo, long artifactId) =>
            WithArtifact(core, context, owner, repo, artifactId, artifact => new JsonApiResult(RunJson.Artifact(Urls.From(context), artifact), 200)));

        routes.MapGet("/repos/{owner}/{repo}/actions/artifacts/{artifactId:long}/{format}", (HttpContext context, string owner, string repo, long artifactId, string format) =>
            WithArtifact(core, context, owner, repo, artifactId, artifact =>
            {
                if (format != "zip")
                {
                    return ApiErrors.NotFound();
                }

                if (artifact.Expired)
                {
                    return ApiErrors.Error(StatusCodes.Status410Gone, "Artifact has expired", "https://docs.github.com/rest/actions/artifacts#download-an-artifact");
                }

                var id = $"artifact-{artifact.Id.ToString(CultureInfo.InvariantCulture)}.zip";
                var bytes = artifact.Bytes;
                core.Blobs.Put(new BlobEntry(id, "application/zip", () => new MemoryStream(bytes, writable: false), $"{artifact.Name}.zip"));
                return JobRoutes.Redirect(core, context, id);
            }));
    }

    private static JsonApiResult List(HttpContext context, IReadOnlyList<SimulatedArtifact> artifacts)
    {
        var urls = Urls.From(context);
        var name = context.Request.Query["name"].ToString();
        var all = artifacts.Where(a => name.Length == 0 || a.Name == name).OrderByDescending(a => a.Id).ToList();
        if (context.Request.Query["direction"] == "asc")
        {
            all.Reverse();
        }

        return Paging.List(context, urls, "artifacts", all, a => RunJson.Artifact(urls, a));
    }

    private static IResult WithArtifact(SimulatorCore core, HttpContext context, string owner, string repo, long artifactId, Func<SimulatedArtifact, IResult> render)
    {
        var access = Access.Repo(core, context, owner, repo, "actions", write: false);
        if (access.Error is { } error)
        {
            return error;
        }

        lock (core.Sync)
        {
            var artifact = access.Repository!.RunList.SelectMany(r => r.ArtifactList).FirstOrDefault(a => a.Id == artifactId);
            return artifact is null ? ApiErrors.NotFound("https://docs.github.com/rest/actions/artifacts#get-an-artifact") : render(artifact);
        }
    }
}
