using System.Globalization;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>Workflow runs: list (with filters), get, attempts, cancel, force-cancel, re-run.</summary>
internal static class RunRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/repos/{owner}/{repo}/actions/runs", (HttpContext context, string owner, string repo) =>
            List(core, context, owner, repo, null));
        routes.MapGet("/repos/{owner}/{repo}/actions/workflows/{workflowId}/runs", (HttpContext context, string owner, string repo, string workflowId) =>
            List(core, context, owner, repo, workflowId));

        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}", (HttpContext context, string owner, string repo, long runId) =>
            WithRun(core, context, owner, repo, runId, false, (run, _) => new JsonApiResult(RunJson.Run(Urls.From(context), run), 200)));

        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}/attempts/{attempt:int}", (HttpContext context, string owner, string repo, long runId, int attempt) =>
            WithRun(core, context, owner, repo, runId, false, (run, _) =>
            {
                if (attempt == run.RunAttempt)
                {
                    return new JsonApiResult(RunJson.Run(Urls.From(context), run), 200);
                }

                var snapshot = run.PreviousAttempts.FirstOrDefault(a => a.Attempt == attempt);
                return snapshot is null ? ApiErrors.NotFound() : new JsonApiResult(RunJson.Run(Urls.From(context), run, snapshot), 200);
            }));

        routes.MapPost("/repos/{owner}/{repo}/actions/runs/{runId:long}/cancel", (HttpContext context, string owner, string repo, long runId) =>
            WithRun(core, context, owner, repo, runId, true, (run, _) => Cancel(run, force: false)));
        routes.MapPost("/repos/{owner}/{repo}/actions/runs/{runId:long}/force-cancel", (HttpContext context, string owner, string repo, long runId) =>
            WithRun(core, context, owner, repo, runId, true, (run, _) => Cancel(run, force: true)));
        routes.MapPost("/repos/{owner}/{repo}/actions/runs/{runId:long}/rerun", (HttpContext context, string owner, string repo, long runId) =>
            WithRun(core, context, owner, repo, runId, true, Rerun));
        routes.MapPost("/repos/{owner}/{repo}/actions/runs/{runId:long}/rerun-failed-jobs", (HttpContext context, string owner, string repo, long runId) =>
            WithRun(core, context, owner, repo, runId, true, Rerun));
    }

    /// <summary>Looks up a run of the repository (404 otherwise) and renders it under the lock.</summary>
    internal static IResult WithRun(SimulatorCore core, HttpContext context, string owner, string repo, long runId, bool write, Func<SimulatedRun, Caller, IResult> render)
    {
        var access = Access.Repo(core, context, owner, repo, "actions", write);
        if (access.Error is { } error)
        {
            return error;
        }

        lock (core.Sync)
        {
            var run = access.Repository!.RunList.FirstOrDefault(r => r.Id == runId);
            return run is null ? ApiErrors.NotFound("https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run") : render(run, access.Caller!);
        }
    }

    private static IResult Cancel(SimulatedRun run, bool force) =>
        run.RequestCancel(force)
            ? new JsonApiResult(new JsonObject(), StatusCodes.Status202Accepted)
            : ApiErrors.Error(StatusCodes.Status409Conflict, "Cannot cancel a workflow run that is completed.", "https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run");

    private static IResult Rerun(SimulatedRun run, Caller caller)
    {
        if (run.StatusUnlocked != "completed")
        {
            return ApiErrors.Error(StatusCodes.Status403Forbidden, "This workflow is already running", "https://docs.github.com/rest/actions/workflow-runs#re-run-a-workflow");
        }

        run.Rerun(caller.Actor);
        return new JsonApiResult(new JsonObject(), StatusCodes.Status201Created);
    }

    private static IResult List(SimulatorCore core, HttpContext context, string owner, string repo, string? workflowId)
    {
        var access = Access.Repo(core, context, owner, repo, "actions", write: false);
        if (access.Error is { } error)
        {
            return error;
        }

        var query = context.Request.Query;
        var urls = Urls.From(context);
        var created = query["created"].ToString() is { Length: > 0 } c ? CreatedFilter.Parse(c) : null;
        lock (core.Sync)
        {
            var repository = access.Repository!;
            IEnumerable<SimulatedRun> runs = repository.RunList;
            if (workflowId is not null)
            {
                if (repository.FindWorkflow(workflowId) is not { } workflow)
                {
                    return ApiErrors.NotFound("https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow");
                }

                runs = runs.Where(r => r.WorkflowId == workflow.Id);
            }

            var visibleBefore = core.Now - core.Options.RunListVisibilityDelay;
            runs = runs.Where(r => r.CreatedAt <= visibleBefore);
            runs = Filter(runs, query["event"], r => r.Event);
            runs = Filter(runs, query["branch"], r => r.HeadBranch);
            runs = Filter(runs, query["head_sha"], r => r.HeadSha);
            runs = Filter(runs, query["actor"], r => r.Actor.Login);
            runs = Filter(runs, query["check_suite_id"], r => r.CheckSuiteId.ToString(CultureInfo.InvariantCulture));
            if (query["status"].ToString() is { Length: > 0 } status)
            {
                runs = runs.Where(r => r.StatusUnlocked == status || r.ConclusionUnlocked == status);
            }

            if (created is not null)
            {
                runs = runs.Where(r => created(CreatedFilter.Truncate(r.CreatedAt)));
            }

            var all = runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList();
            return Paging.List(context, urls, "workflow_runs", all, r => RunJson.Run(urls, r));
        }
    }

    private static IEnumerable<SimulatedRun> Filter(IEnumerable<SimulatedRun> runs, Microsoft.Extensions.Primitives.StringValues value, Func<SimulatedRun, string> field)
    {
        var text = value.ToString();
        return text.Length == 0 ? runs : runs.Where(r => string.Equals(field(r), text, StringComparison.Ordinal));
    }
}
