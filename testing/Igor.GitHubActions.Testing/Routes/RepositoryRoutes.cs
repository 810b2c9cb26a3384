using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>Repository, branches, git refs and commits.</summary>
internal static class RepositoryRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/repos/{owner}/{repo}", (HttpContext context, string owner, string repo) =>
        {
            var access = Access.Repo(core, context, owner, repo, "metadata", write: false);
            if (access.Error is { } error)
            {
                return error;
            }

            var repository = access.Repository!;
            lock (core.Sync)
            {
                var pushedAt = repository.Refs.Branches.Max(b => b.UpdatedAt);
                return new JsonApiResult(RepositoryJson.Full(Urls.From(context), repository, pushedAt, withPermissions: true), 200);
            }
        });

        routes.MapGet("/repos/{owner}/{repo}/branches", (HttpContext context, string owner, string repo) =>
        {
            var access = Access.Repo(core, context, owner, repo, "contents", write: false);
            if (access.Error is { } error)
            {
                return error;
            }

            var urls = Urls.From(context);
            var (perPage, page) = Paging.Read(context);
            lock (core.Sync)
            {
                var repository = access.Repository!;
                var all = repository.Refs.Branches.OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
                var items = Paging.Slice(all, perPage, page).Select(b => (JsonNode)new JsonObject
                {
                    ["name"] = b.Name,
                    ["commit"] = Commit(urls, repository, repository.Refs.ShaOf(b)),
                    ["protected"] = false,
                });
                return new JsonApiResult(new JsonArray([.. items]), 200, Paging.LinkHeader(context, urls, perPage, page, all.Count));
            }
        });

        routes.MapGet("/repos/{owner}/{repo}/branches/{**branch}", (HttpContext context, string owner, string repo, string branch) =>
            WithRef(core, context, owner, repo, $"refs/heads/{branch}", (urls, repository, resolved) => new JsonObject
            {
                ["name"] = resolved.Name,
                ["commit"] = Commit(urls, repository, resolved.Sha),
                ["_links"] = new JsonObject
                {
                    ["self"] = $"{urls.Repo(repository)}/branches/{resolved.Name}",
                    ["html"] = $"{urls.RepoHtml(repository)}/tree/{resolved.Name}",
                },
                ["protected"] = false,
            }, "Branch not found"));

        routes.MapGet("/repos/{owner}/{repo}/git/ref/{**reference}", (HttpContext context, string owner, string repo, string reference) =>
            WithRef(core, context, owner, repo, $"refs/{reference}", (urls, repository, resolved) => new JsonObject
            {
                ["ref"] = resolved.State.FullRef,
                ["node_id"] = JsonFormat.NodeId("Ref", repository.Id),
                ["url"] = $"{urls.Repo(repository)}/git/{resolved.State.FullRef}",
                ["object"] = new JsonObject
                {
                    ["sha"] = resolved.Sha,
                    ["type"] = "commit",
                    ["url"] = $"{urls.Repo(repository)}/git/commits/{resolved.Sha}",
                },
            }, "Not Found"));

        routes.MapGet("/repos/{owner}/{repo}/commits/{**reference}", (HttpContext context, string owner, string repo, string reference) =>
            WithRef(core, context, owner, repo, reference, (urls, repository, resolved) => Commit(urls, repository, resolved.Sha, resolved.State.UpdatedAt), $"No commit found for SHA: {reference}"));
    }

    internal static JsonObject Commit(Urls urls, SimulatedRepository repository, string sha, DateTimeOffset? at = null)
    {
        var commit = new JsonObject
        {
            ["sha"] = sha,
            ["node_id"] = JsonFormat.NodeId("Commit", repository.Id),
            ["url"] = $"{urls.Repo(repository)}/commits/{sha}",
            ["html_url"] = $"{urls.RepoHtml(repository)}/commit/{sha}",
        };
        if (at is { } date)
        {
            var author = new JsonObject { ["name"] = "Monalisa Octocat", ["email"] = "octocat@github.com", ["date"] = JsonFormat.Date(date) };
            commit["commit"] = new JsonObject
            {
                ["author"] = author,
                ["committer"] = author.DeepClone(),
                ["message"] = $"Simulated commit {sha[..7]}",
                ["tree"] = new JsonObject { ["sha"] = SimulatorCore.Sha($"tree|{sha}") },
            };
        }

        return commit;
    }

    private static IResult WithRef(
        SimulatorCore core,
        HttpContext context,
        string owner,
        string repo,
        string reference,
        Func<Urls, SimulatedRepository, ResolvedRef, JsonObject> render,
        string notFound)
    {
        var access = Access.Repo(core, context, owner, repo, "contents", write: false);
        if (access.Error is { } error)
        {
            return error;
        }

        lock (core.Sync)
        {
            var repository = access.Repository!;
            var resolved = repository.Refs.Resolve(reference);
            return resolved is null
                ? ApiErrors.Error(notFound == "No commit found for SHA: " + reference ? 422 : 404, notFound)
                : new JsonApiResult(render(Urls.From(context), repository, resolved), 200);
        }
    }
}
