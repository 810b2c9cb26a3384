using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>GitHub App endpoints (JWT) and installation endpoints (installation token).</summary>
internal static class AppRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/app", (HttpContext context) =>
        {
            if (Access.App(core, context, out var error) is not { } app)
            {
                return error!;
            }

            lock (core.Sync)
            {
                var json = AppJson.App(Urls.From(context), app);
                json["installations_count"] = core.Installations.Values.Count(i => i.App == app);
                return new JsonApiResult(json, 200);
            }
        });

        routes.MapGet("/app/installations", (HttpContext context) =>
        {
            if (Access.App(core, context, out var error) is not { } app)
            {
                return error!;
            }

            var urls = Urls.From(context);
            var (perPage, page) = Paging.Read(context);
            lock (core.Sync)
            {
                var all = core.Installations.Values.Where(i => i.App == app).OrderBy(i => i.Id).ToList();
                var items = new JsonArray([.. Paging.Slice(all, perPage, page).Select(i => (JsonNode)AppJson.Installation(urls, i))]);
                return new JsonApiResult(items, 200, Paging.LinkHeader(context, urls, perPage, page, all.Count));
            }
        });

        routes.MapGet("/app/installations/{installationId:long}", (HttpContext context, long installationId) =>
        {
            if (Access.App(core, context, out var error) is not { } app)
            {
                return error!;
            }

            lock (core.Sync)
            {
                return core.Installations.TryGetValue(installationId, out var installation) && installation.App == app
                    ? new JsonApiResult(AppJson.Installation(Urls.From(context), installation), 200)
                    : ApiErrors.NotFound();
            }
        });

        routes.MapPost("/app/installations/{installationId:long}/access_tokens", (HttpContext context, long installationId) =>
            CreateAccessToken(core, context, installationId));

        routes.MapGet("/repos/{owner}/{repo}/installation", (HttpContext context, string owner, string repo) =>
            FindInstallation(core, context, i => core.FindRepository(owner, repo) is { } r && i.Covers(r)));
        routes.MapGet("/orgs/{org}/installation", (HttpContext context, string org) =>
            FindInstallation(core, context, i => i.Account.Login.Equals(org, StringComparison.OrdinalIgnoreCase)));
        routes.MapGet("/users/{user}/installation", (HttpContext context, string user) =>
            FindInstallation(core, context, i => i.Account.Login.Equals(user, StringComparison.OrdinalIgnoreCase)));

        routes.MapGet("/installation/repositories", (HttpContext context) =>
        {
            if (Access.Token(core, context, out var error) is not { } token)
            {
                return error!;
            }

            if (token.Installation is not { } installation)
            {
                return ApiErrors.Error(StatusCodes.Status403Forbidden, "This endpoint can only be accessed with an installation access token");
            }

            var urls = Urls.From(context);
            lock (core.Sync)
            {
                var all = core.Repositories.Values.Where(r => Access.CanSee(token, r)).OrderBy(r => r.Id).ToList();
                return Paging.List(context, urls, "repositories", all, r => RepositoryJson.Full(urls, r, r.CreatedAt, true), body => body["repository_selection"] = token.RepositoryNames is null ? installation.RepositorySelection : "selected");
            }
        });

        routes.MapDelete("/installation/token", (HttpContext context) =>
        {
            if (Access.Token(core, context, out var error) is not { } token)
            {
                return error!;
            }

            lock (core.Sync)
            {
                token.Revoked = true;
            }

            return JsonApiResult.Empty(StatusCodes.Status204NoContent);
        });
    }

    private static IResult FindInstallation(SimulatorCore core, HttpContext context, Func<SimulatedInstallation, bool> predicate)
    {
        if (Access.App(core, context, out var error) is not { } app)
        {
            return error!;
        }

        lock (core.Sync)
        {
            var installation = core.Installations.Values.Where(i => i.App == app).FirstOrDefault(predicate);
            return installation is null
                ? ApiErrors.NotFound("https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app")
                : new JsonApiResult(AppJson.Installation(Urls.From(context), installation), 200);
        }
    }

    private static IResult CreateAccessToken(SimulatorCore core, HttpContext context, long installationId)
    {
        if (Access.App(core, context, out var error) is not { } app)
        {
            return error!;
        }

        if (RequestBody.ReadObject(context, out error) is not { } body)
        {
            return error!;
        }

        lock (core.Sync)
        {
            if (!core.Installations.TryGetValue(installationId, out var installation) || installation.App != app)
            {
                return ApiErrors.NotFound("https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app");
            }

            HashSet<string>? names = null;
            if (body["repositories"] is JsonArray || body["repository_ids"] is JsonArray)
            {
                names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var item in (body["repositories"] as JsonArray ?? []).Concat(body["repository_ids"] as JsonArray ?? []))
                {
                    var repository = item?.GetValueKind() == System.Text.Json.JsonValueKind.Number
                        ? core.Repositories.Values.FirstOrDefault(r => r.Id == item.GetValue<long>())
                        : core.FindRepository(installation.Account.Login, item?.ToString() ?? "");
                    if (repository is null || !installation.Covers(repository))
                    {
                        return ApiErrors.Unprocessable("There is at least one repository that does not exist or is not accessible to the parent installation.");
                    }

                    names.Add(repository.Name);
                }
            }

            var permissions = new Dictionary<string, string>(installation.Permissions, StringComparer.Ordinal);
            if (body["permissions"] is JsonObject requested)
            {
                permissions.Clear();
                foreach (var (name, value) in requested)
                {
                    var level = value?.ToString() ?? "";
                    if (!installation.Permissions.TryGetValue(name, out var granted) || (level == "write" && granted == "read"))
                    {
                        return ApiErrors.Unprocessable("The permissions requested are not granted to this installation.");
                    }

                    permissions[name] = level;
                }
            }

            var expiresAt = core.Now + core.Options.InstallationTokenLifetime;
            var stateless = !context.Request.Headers["X-GitHub-Stateless-S2S-Token"].ToString().Equals("disabled", StringComparison.OrdinalIgnoreCase);
            var token = stateless
                ? TokenFactory.InstallationToken(app.AppId, installation.Id, expiresAt)
                : "ghs_" + TokenFactory.PersonalAccessToken()[4..];
            core.Tokens[token] = new TokenRecord
            {
                Token = token,
                Installation = installation,
                ExpiresAt = expiresAt,
                RepositoryNames = names,
                Permissions = permissions,
                Actor = app.Bot,
            };
            app.RecordIssuedToken(token);

            var urls = Urls.From(context);
            var response = new JsonObject
            {
                ["token"] = token,
                ["expires_at"] = JsonFormat.Date(expiresAt),
                ["permissions"] = JsonFormat.Permissions(permissions),
                ["repository_selection"] = names is null ? installation.RepositorySelection : "selected",
            };
            if (names is not null)
            {
                response["repositories"] = new JsonArray([.. core.Repositories.Values
                    .Where(r => names.Contains(r.Name) && installation.Covers(r))
                    .Select(r => (JsonNode)RepositoryJson.Full(urls, r, r.CreatedAt, false))]);
            }

            return new JsonApiResult(response, StatusCodes.Status201Created);
        }
    }
}
