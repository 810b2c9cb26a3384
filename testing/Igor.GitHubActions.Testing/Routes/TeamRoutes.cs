using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary><c>GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}</c>: whether (and how) a team has access to a repository.</summary>
internal static class TeamRoutes
{
    private const string RepositoryMediaType = "application/vnd.github.v3.repository+json";

    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        // See https://docs.github.com/rest/teams/teams#check-team-permissions-for-a-repository
        routes.MapGet("/orgs/{org}/teams/{teamSlug}/repos/{owner}/{repo}", (HttpContext context, string org, string teamSlug, string owner, string repo) =>
        {
            var token = Access.Token(core, context, out var error);
            if (token is null)
            {
                return error!;
            }

            lock (core.Sync)
            {
                // An installation sees the teams of the organization it is installed on; a PAT sees every team.
                if (token.Installation is { } installation && !string.Equals(installation.Account.Login, org, StringComparison.OrdinalIgnoreCase))
                {
                    return ApiErrors.NotFound();
                }

                var repository = core.FindRepository(owner, repo);
                if (!core.Teams.TryGetValue($"{org}/{teamSlug}", out var team) || repository is null || team.RoleOn(repository.FullName) is not { } role)
                {
                    return ApiErrors.NotFound();
                }

                if (!context.Request.Headers.Accept.ToString().Contains(RepositoryMediaType, StringComparison.OrdinalIgnoreCase))
                {
                    return Results.StatusCode(StatusCodes.Status204NoContent);
                }

                var json = RepositoryJson.Full(Urls.From(context), repository, repository.CreatedAt, withPermissions: false);
                var rank = Array.IndexOf(["pull", "triage", "push", "maintain", "admin"], role);
                json["permissions"] = new JsonObject
                {
                    ["admin"] = rank >= 4,
                    ["maintain"] = rank >= 3,
                    ["push"] = rank >= 2,
                    ["triage"] = rank >= 1,
                    ["pull"] = rank >= 0,
                };
                json["role_name"] = role;
                return new JsonApiResult(json, 200);
            }
        });
    }
}
