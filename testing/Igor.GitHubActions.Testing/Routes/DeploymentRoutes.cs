using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>Deployments: create (auto-merge and required-contexts rules), list with filters, get, delete.</summary>
internal static class DeploymentRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapPost("/repos/{owner}/{repo}/deployments", (HttpContext context, string owner, string repo) => Create(core, context, owner, repo));

        routes.MapGet("/repos/{owner}/{repo}/deployments", (HttpContext context, string owner, string repo) =>
        {
            var access = Access.Repo(core, context, owner, repo, "deployments", write: false);
            if (access.Error is { } error)
            {
                return error;
            }

            var query = context.Request.Query;
            var urls = Urls.From(context);
            var (perPage, page) = Paging.Read(context);
            lock (core.Sync)
            {
                var all = access.Repository!.DeploymentList
                    .Where(d => !d.Deleted)
                    .Where(d => Matches(query["sha"], d.Sha) && Matches(query["ref"], d.Ref) && Matches(query["task"], d.Task) && Matches(query["environment"], d.Environment))
                    .OrderByDescending(d => d.Id)
                    .ToList();
                var items = new JsonArray([.. Paging.Slice(all, perPage, page).Select(d => (JsonNode)DeploymentJson.Deployment(urls, d))]);
                return new JsonApiResult(items, 200, Paging.LinkHeader(context, urls, perPage, page, all.Count));
            }
        });

        routes.MapGet("/repos/{owner}/{repo}/deployments/{deploymentId:long}", (HttpContext context, string owner, string repo, long deploymentId) =>
            WithDeployment(core, context, owner, repo, deploymentId, false, (deployment, _) => new JsonApiResult(DeploymentJson.Deployment(Urls.From(context), deployment), 200)));

        routes.MapDelete("/repos/{owner}/{repo}/deployments/{deploymentId:long}", (HttpContext context, string owner, string repo, long deploymentId) =>
            WithDeployment(core, context, owner, repo, deploymentId, true, (deployment, _) =>
            {
                var others = deployment.Repository.DeploymentList.Count(d => !d.Deleted && d.Environment == deployment.Environment && d != deployment);
                var latest = deployment.StatusList.Count == 0 ? null : deployment.StatusList[^1].State;
                if (latest != "inactive" && others > 0)
                {
                    return ApiErrors.Unprocessable("We cannot delete an active deployment unless it is the only deployment in a given environment.");
                }

                deployment.Delete();
                return JsonApiResult.Empty(StatusCodes.Status204NoContent);
            }));
    }

    internal static IResult WithDeployment(SimulatorCore core, HttpContext context, string owner, string repo, long deploymentId, bool write, Func<SimulatedDeployment, Caller, IResult> render)
    {
        var access = Access.Repo(core, context, owner, repo, "deployments", write);
        if (access.Error is { } error)
        {
            return error;
        }

        lock (core.Sync)
        {
            var deployment = access.Repository!.DeploymentList.FirstOrDefault(d => d.Id == deploymentId && !d.Deleted);
            return deployment is null ? ApiErrors.NotFound("https://docs.github.com/rest/deployments/deployments#get-a-deployment") : render(deployment, access.Caller!);
        }
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues filter, string value) =>
        filter.ToString() is not { Length: > 0 } f || f == "none" || string.Equals(f, value, StringComparison.Ordinal);

    private static IResult Create(SimulatorCore core, HttpContext context, string owner, string repo)
    {
        var access = Access.Repo(core, context, owner, repo, "deployments", write: true);
        if (access.Error is { } error)
        {
            return error;
        }

        if (RequestBody.ReadObject(context, out error) is not { } body)
        {
            return error!;
        }

        if (!body.ContainsKey("ref"))
        {
            return ApiErrors.InvalidRequest("\"ref\" wasn't supplied.");
        }

        if (RequestBody.String(body, "ref") is not { } reference)
        {
            return ApiErrors.InvalidRequest($"For 'properties/ref', {body["ref"]?.ToJsonString() ?? "nil"} is not a string.");
        }

        var payload = body["payload"];
        if (payload is not null and not JsonObject && payload.GetValueKind() != JsonValueKind.String)
        {
            return ApiErrors.InvalidRequest($"For 'properties/payload', {payload.ToJsonString()} is not an object or string.");
        }

        if (body["required_contexts"] is { } contextsNode && contextsNode is not JsonArray)
        {
            return ApiErrors.InvalidRequest($"For 'properties/required_contexts', {contextsNode.ToJsonString()} is not an array.");
        }

        var repository = access.Repository!;
        var caller = access.Caller!;
        SimulatedDeployment deployment;
        lock (core.Sync)
        {
            var resolved = repository.Refs.Resolve(reference);
            if (resolved is null)
            {
                return ApiErrors.Unprocessable($"No ref found for: {reference}");
            }

            var autoMerge = RequestBody.Bool(body, "auto_merge") ?? true;
            if (autoMerge && (resolved.IsTag || resolved.Name != repository.DefaultBranch))
            {
                return new JsonApiResult(new JsonObject { ["message"] = $"Auto-merged {repository.DefaultBranch} into {reference} on deployment." }, StatusCodes.Status202Accepted);
            }

            if (CheckContexts(repository, resolved.Sha, reference, body["required_contexts"] as JsonArray) is { } conflict)
            {
                return conflict;
            }

            var environment = RequestBody.String(body, "environment") ?? "production";
            deployment = new SimulatedDeployment(repository, core.Ids.Next(IdKind.Deployment), reference, resolved.Sha, caller.Actor, caller.App)
            {
                Task = RequestBody.String(body, "task") ?? "deploy",
                PayloadJson = payload?.ToJsonString(JsonApiResult.SerializerOptions) ?? "{}",
                Environment = environment,
                OriginalEnvironment = environment,
                Description = RequestBody.String(body, "description"),
                TransientEnvironment = RequestBody.Bool(body, "transient_environment") ?? false,
                ProductionEnvironment = RequestBody.Bool(body, "production_environment") ?? environment == "production",
            };
            repository.DeploymentList.Add(deployment);
            core.Webhooks?.OnDeploymentCreated(deployment);
            return new JsonApiResult(DeploymentJson.Deployment(Urls.From(context), deployment), StatusCodes.Status201Created);
        }
    }

    /// <summary>409 when required commit-status contexts are not all <c>success</c> (omitted list = every context on the commit).</summary>
    private static IResult? CheckContexts(SimulatedRepository repository, string sha, string reference, JsonArray? required)
    {
        var latest = repository.StatusList
            .Where(s => s.Sha == sha)
            .GroupBy(s => s.Context, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().State, StringComparer.Ordinal);
        var names = required is null ? latest.Keys.ToList() : required.Select(n => n?.ToString() ?? "").ToList();
        var failing = names.Where(n => latest.GetValueOrDefault(n) != "success").ToList();
        if (failing.Count == 0)
        {
            return null;
        }

        var contexts = new JsonArray([.. failing.Select(n => (JsonNode)new JsonObject { ["context"] = n, ["state"] = latest.GetValueOrDefault(n) ?? "pending" })]);
        var item = new JsonObject { ["contexts"] = contexts, ["resource"] = "Deployment", ["field"] = "required_contexts", ["code"] = "invalid" };
        return ApiErrors.Error(StatusCodes.Status409Conflict, $"Conflict: Commit status checks failed for {reference}.", "https://docs.github.com/rest/deployments/deployments#create-a-deployment", [item]);
    }
}
