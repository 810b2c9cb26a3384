using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>List, get, enable and disable workflows.</summary>
internal static class WorkflowRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/repos/{owner}/{repo}/actions/workflows", (HttpContext context, string owner, string repo) =>
        {
            var access = Access.Repo(core, context, owner, repo, "actions", write: false);
            if (access.Error is { } error)
            {
                return error;
            }

            var urls = Urls.From(context);
            lock (core.Sync)
            {
                var all = access.Repository!.WorkflowList.Where(w => w.State != "deleted").OrderBy(w => w.Id).ToList();
                return Paging.List(context, urls, "workflows", all, w => RunJson.Workflow(urls, w));
            }
        });

        routes.MapGet("/repos/{owner}/{repo}/actions/workflows/{workflowId}", (HttpContext context, string owner, string repo, string workflowId) =>
        {
            var access = Access.Repo(core, context, owner, repo, "actions", write: false);
            if (access.Error is { } error)
            {
                return error;
            }

            lock (core.Sync)
            {
                return access.Repository!.FindWorkflow(workflowId) is { } workflow
                    ? new JsonApiResult(RunJson.Workflow(Urls.From(context), workflow), 200)
                    : ApiErrors.NotFound("https://docs.github.com/rest/actions/workflows#get-a-workflow");
            }
        });

        routes.MapPut("/repos/{owner}/{repo}/actions/workflows/{workflowId}/disable", (HttpContext context, string owner, string repo, string workflowId) =>
            SetState(core, context, owner, repo, workflowId, "disabled_manually"));
        routes.MapPut("/repos/{owner}/{repo}/actions/workflows/{workflowId}/enable", (HttpContext context, string owner, string repo, string workflowId) =>
            SetState(core, context, owner, repo, workflowId, "active"));
    }

    private static IResult SetState(SimulatorCore core, HttpContext context, string owner, string repo, string workflowId, string state)
    {
        var access = Access.Repo(core, context, owner, repo, "actions", write: true);
        if (access.Error is { } error)
        {
            return error;
        }

        if (access.Repository!.FindWorkflow(workflowId) is not { } workflow)
        {
            return ApiErrors.NotFound();
        }

        workflow.SetState(state);
        return JsonApiResult.Empty(StatusCodes.Status204NoContent);
    }
}
