using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Auth;

/// <summary>Authentication and authorization of requests, following GitHub: 401 for bad credentials, 404 for repositories the caller cannot see, 403 for missing App permissions.</summary>
internal static class Access
{
    /// <summary>The credential of the Authorization header (<c>Bearer x</c> or <c>token x</c>), or null.</summary>
    public static string? Credential(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = header[..space];
        return scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("token", StringComparison.OrdinalIgnoreCase)
            ? header[(space + 1)..].Trim()
            : null;
    }

    /// <summary>Requires a valid App JWT.</summary>
    public static SimulatedApp? App(SimulatorCore core, HttpContext context, out IResult? error)
    {
        error = null;
        var credential = Credential(context);
        if (credential is null)
        {
            error = ApiErrors.Error(StatusCodes.Status401Unauthorized, "A JSON web token could not be decoded", "https://docs.github.com/rest");
            return null;
        }

        lock (core.Sync)
        {
            var app = JwtValidator.Validate(core, credential, out var message);
            if (app is null)
            {
                error = ApiErrors.Error(StatusCodes.Status401Unauthorized, message);
            }

            return app;
        }
    }

    /// <summary>Requires a valid installation token or PAT (no repository check).</summary>
    public static TokenRecord? Token(SimulatorCore core, HttpContext context, out IResult? error)
    {
        error = null;
        var credential = Credential(context);
        if (credential is null)
        {
            error = ApiErrors.Error(StatusCodes.Status401Unauthorized, "Requires authentication");
            return null;
        }

        lock (core.Sync)
        {
            if (!core.Tokens.TryGetValue(credential, out var token) || !IsValid(core, token))
            {
                error = ApiErrors.BadCredentials();
                return null;
            }

            return token;
        }
    }

    /// <summary>Requires access to a repository with a permission (<paramref name="permission"/> at read, or write when <paramref name="write"/>).</summary>
    public static RepoAccess Repo(SimulatorCore core, HttpContext context, string owner, string name, string permission, bool write)
    {
        var credential = Credential(context);
        lock (core.Sync)
        {
            TokenRecord? token = null;
            if (credential is not null && (!core.Tokens.TryGetValue(credential, out token) || !IsValid(core, token)))
            {
                return new RepoAccess(null, null, ApiErrors.BadCredentials());
            }

            var repository = core.FindRepository(owner, name);
            if (token is null)
            {
                if (repository is not null && !repository.Private && !write)
                {
                    return new RepoAccess(repository, new Caller(null, core.DefaultActor), null);
                }

                return new RepoAccess(null, null, write && repository is not null && !repository.Private
                    ? ApiErrors.Error(StatusCodes.Status401Unauthorized, "Requires authentication")
                    : ApiErrors.NotFound());
            }

            if (repository is null || !CanSee(token, repository))
            {
                return new RepoAccess(null, null, ApiErrors.NotFound());
            }

            if (!HasPermission(token, permission, write))
            {
                // GitHub names the permission the endpoint needs (https://docs.github.com/rest/overview/permissions-required-for-github-apps).
                return new RepoAccess(null, null, ApiErrors.Error(
                    StatusCodes.Status403Forbidden, "Resource not accessible by integration",
                    headers: new Dictionary<string, string> { ["X-Accepted-GitHub-Permissions"] = $"{permission}={(write ? "write" : "read")}" }));
            }

            return new RepoAccess(repository, new Caller(token, token.Actor), null);
        }
    }

    public static bool IsValid(SimulatorCore core, TokenRecord token) =>
        !token.Revoked
        && (token.ExpiresAt is null || core.Now < token.ExpiresAt)
        && token.Installation is not { Removed: true };

    public static bool CanSee(TokenRecord token, SimulatedRepository repository) =>
        token.Installation is not { } installation
        || (installation.Covers(repository) && (token.RepositoryNames is null || token.RepositoryNames.Contains(repository.Name)));

    private static bool HasPermission(TokenRecord token, string permission, bool write)
    {
        if (token.IsPersonal || (permission == "metadata" && !write))
        {
            return true;
        }

        return token.Permissions.TryGetValue(permission, out var level)
            && (!write || level is "write" or "admin");
    }
}
