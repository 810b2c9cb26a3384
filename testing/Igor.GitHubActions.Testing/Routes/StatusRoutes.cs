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

/// <summary>Deployment statuses and commit statuses.</summary>
internal static class StatusRoutes
{
    private static readonly string[] DeploymentStates = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
    private static readonly string[] CommitStates = ["error", "failure", "pending", "success"];

    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapPost("/repos/{owner}/{repo}/deployments/{deploymentId:long}/statuses", (HttpContext context, string owner, string repo, long deploymentId) =>
        {
            if (RequestBody.ReadObject(context, out var error) is not { } body)
            {
                return error!;
            }

            return DeploymentRoutes.WithDeployment(core, context, owner, repo, deploymentId, true, (deployment, caller) => CreateDeploymentStatus(core, context, body, deployment, caller));
        });

        routes.MapGet("/repos/{owner}/{repo}/deployments/{deploymentId:long}/statuses", (HttpContext context, string owner, string repo, long deploymentId) =>
            DeploymentRoutes.WithDeployment(core, context, owner, repo, deploymentId, false, (deployment, _) =>
            {
                var urls = Urls.From(context);
                var (perPage, page) = Paging.Read(context);
                var all = deployment.StatusList.AsEnumerable().Reverse().ToList();
                var items = new JsonArray([.. Paging.Slice(all, perPage, page).Select(s => (JsonNode)DeploymentJson.Status(urls, deployment, s))]);
                return new JsonApiResult(items, 200, Paging.LinkHeader(context, urls, perPage, page, all.Count));
            }));

        routes.MapGet("/repos/{owner}/{repo}/deployments/{deploymentId:long}/statuses/{statusId:long}", (HttpContext context, string owner, string repo, long deploymentId, long statusId) =>
            DeploymentRoutes.WithDeployment(core, context, owner, repo, deploymentId, false, (deployment, _) =>
                deployment.StatusList.FirstOrDefault(s => s.Id == statusId) is { } status
                    ? new JsonApiResult(DeploymentJson.Status(Urls.From(context), deployment, status), 200)
                    : ApiErrors.NotFound()));

        routes.MapPost("/repos/{owner}/{repo}/statuses/{sha}", (HttpContext context, string owner, string repo, string sha) => CreateCommitStatus(core, context, owner, repo, sha));
        routes.MapGet("/repos/{owner}/{repo}/commits/{reference}/statuses", (HttpContext context, string owner, string repo, string reference) =>
            WithCommit(core, context, owner, repo, reference, (urls, repository, sha) => new JsonArray([.. repository.StatusList
                .Where(s => s.Sha == sha).Reverse().Select(s => (JsonNode)DeploymentJson.CommitStatus(urls, repository, s))])));
        routes.MapGet("/repos/{owner}/{repo}/commits/{reference}/status", (HttpContext context, string owner, string repo, string reference) =>
            WithCommit(core, context, owner, repo, reference, (urls, repository, sha) =>
            {
                var latest = repository.StatusList.Where(s => s.Sha == sha).GroupBy(s => s.Context, StringComparer.Ordinal).Select(g => g.Last()).ToList();
                var state = latest.Count == 0 || latest.Any(s => s.State == "pending") ? "pending"
                    : latest.Any(s => s.State is "failure" or "error") ? "failure" : "success";
                return new JsonObject
                {
                    ["state"] = state,
                    ["statuses"] = new JsonArray([.. latest.Select(s => (JsonNode)DeploymentJson.CommitStatus(urls, repository, s))]),
                    ["sha"] = sha,
                    ["total_count"] = latest.Count,
                    ["repository"] = RepositoryJson.Minimal(urls, repository),
                    ["commit_url"] = $"{urls.Repo(repository)}/commits/{sha}",
                    ["url"] = $"{urls.Repo(repository)}/commits/{sha}/status",
                };
            }));
    }

    private static IResult CreateDeploymentStatus(SimulatorCore core, HttpContext context, JsonObject body, SimulatedDeployment deployment, Caller caller)
    {
        var state = RequestBody.String(body, "state");
        if (state is null)
        {
            return ApiErrors.InvalidRequest(body.ContainsKey("state") ? $"For 'properties/state', {body["state"]?.ToJsonString()} is not a string." : "\"state\" wasn't supplied.");
        }

        if (!DeploymentStates.Contains(state))
        {
            return ApiErrors.InvalidRequest($"For 'properties/state', \"{state}\" is not one of [\"error\", \"failure\", \"inactive\", \"in_progress\", \"queued\", \"pending\", \"success\"].");
        }

        var description = RequestBody.String(body, "description") ?? "";
        if (description.Length > 140)
        {
            return ApiErrors.ValidationFailed("DeploymentStatus", "description", "custom", "description is too long (maximum is 140 characters)");
        }

        var logUrl = RequestBody.String(body, "log_url") ?? RequestBody.String(body, "target_url") ?? "";
        var previous = deployment.StatusList.Count == 0 ? null : deployment.StatusList[^1];
        var status = new SimulatedDeploymentStatus(
            core.Ids.Next(IdKind.DeploymentStatus),
            deployment.Id,
            state,
            description,
            RequestBody.String(body, "environment") ?? previous?.Environment ?? deployment.Environment,
            logUrl,
            logUrl,
            RequestBody.String(body, "environment_url") ?? "",
            caller.Actor,
            caller.App,
            core.Now);
        deployment.AddStatusUnlocked(status);
        if ((RequestBody.Bool(body, "auto_inactive") ?? true) && state == "success")
        {
            foreach (var prior in deployment.Repository.DeploymentList.Where(d => d.Id < deployment.Id && !d.Deleted
                && d.Environment == deployment.Environment && !d.TransientEnvironment && !d.ProductionEnvironment
                && (d.StatusList.Count == 0 || d.StatusList[^1].State != "inactive")))
            {
                prior.AddStatusUnlocked(status with { Id = core.Ids.Next(IdKind.DeploymentStatus), DeploymentId = prior.Id, State = "inactive", Description = "" });
            }
        }

        if (state != "inactive")
        {
            core.Webhooks?.OnDeploymentStatusCreated(deployment, status);
        }

        var json = DeploymentJson.Status(Urls.From(context), deployment, status);
        return new JsonApiResult(json, StatusCodes.Status201Created, new Dictionary<string, string> { ["Location"] = json["url"]!.ToString() });
    }

    /// <summary>GitHub's limit of statuses per commit and context.</summary>
    public const int MaxStatusesPerContext = 1000;

    private static IResult CreateCommitStatus(SimulatorCore core, HttpContext context, string owner, string repo, string sha)
    {
        var access = Access.Repo(core, context, owner, repo, "statuses", write: true);
        if (access.Error is { } error)
        {
            return error;
        }

        if (RequestBody.ReadObject(context, out error) is not { } body)
        {
            return error!;
        }

        var state = RequestBody.String(body, "state");
        if (state is null || !CommitStates.Contains(state))
        {
            return ApiErrors.InvalidRequest(state is null ? "\"state\" wasn't supplied." : $"For 'properties/state', \"{state}\" is not one of [\"error\", \"failure\", \"pending\", \"success\"].");
        }

        var description = RequestBody.String(body, "description");
        if (description is { Length: > 140 })
        {
            return ApiErrors.ValidationFailed("Status", "description", "custom", "description is too long (maximum is 140 characters)");
        }

        var repository = access.Repository!;
        lock (core.Sync)
        {
            var resolved = repository.Refs.Resolve(sha);
            if (resolved is null)
            {
                return ApiErrors.Unprocessable($"No commit found for SHA: {sha}");
            }

            // https://docs.github.com/rest/commits/statuses#create-a-commit-status: "a limit of 1000 statuses per sha and
            // context within a repository. Attempts to create more than 1000 statuses will result in a validation error."
            var statusContext = RequestBody.String(body, "context") ?? "default";
            if (repository.StatusList.Count(s => s.Sha == resolved.Sha && s.Context == statusContext) >= MaxStatusesPerContext)
            {
                return ApiErrors.ValidationFailed("Status", "context", "custom", "This SHA and context has reached the maximum number of statuses.");
            }

            var status = new SimulatedCommitStatus(
                core.Ids.Next(IdKind.CommitStatus),
                resolved.Sha,
                state,
                statusContext,
                description,
                RequestBody.String(body, "target_url"),
                access.Caller!.Actor,
                core.Now);
            repository.StatusList.Add(status);
            return new JsonApiResult(DeploymentJson.CommitStatus(Urls.From(context), repository, status), StatusCodes.Status201Created);
        }
    }

    private static IResult WithCommit(SimulatorCore core, HttpContext context, string owner, string repo, string reference, Func<Urls, SimulatedRepository, string, JsonNode> render)
    {
        var access = Access.Repo(core, context, owner, repo, "statuses", write: false);
        if (access.Error is { } error)
        {
            return error;
        }

        lock (core.Sync)
        {
            var resolved = access.Repository!.Refs.Resolve(reference);
            return resolved is null
                ? ApiErrors.Unprocessable($"No commit found for SHA: {reference}")
                : new JsonApiResult(render(Urls.From(context), access.Repository!, resolved.Sha), 200);
        }
    }

    internal static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
