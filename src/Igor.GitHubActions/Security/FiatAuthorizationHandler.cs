using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>
/// Fiat's answer for a route that names one of our masters, as Igor's <c>@PreAuthorize hasPermission(#master,
/// 'BUILD_SERVICE', ...)</c> (contract §3.5): READ to read, WRITE to start, stop or update, for the user in
/// <c>X-SPINNAKER-USER</c>. The endpoints that need it say so (<see cref="IgorPolicies.Fiat"/> on their route group).
/// Denials are 403 (Orca fails the stage at once); Fiat unreachable is 503 (fail closed, Orca retries). Masters that are
/// not ours are left alone: the existing Igor behind the pass-through checks its own.
/// </summary>
internal sealed partial class FiatAuthorizationHandler(
    BuildServiceRegistry registry, FiatPermissions permissions, IOptions<FiatOptions> fiat, ILogger<FiatAuthorizationHandler> logger)
    : AuthorizationHandler<FiatRequirement, HttpContext>
{
    public const string UserHeader = "X-SPINNAKER-USER";

    /// <summary>Who a request without a user is, for Fiat (Igor's FiatPermissionEvaluator, contract correction 3).</summary>
    public const string AnonymousUser = "anonymous";

    /// <summary>The masters among <paramref name="masters"/> the caller (or anonymous) may READ; all of them when Fiat is off.</summary>
    public static async Task<string[]> ReadableAsync(HttpContext context, IReadOnlyList<string> masters)
    {
        var fiat = context.RequestServices.GetRequiredService<IOptions<FiatOptions>>().Value;
        if (!fiat.Enabled || masters.Count == 0)
        {
            return [.. masters];
        }

        var user = User(context) ?? AnonymousUser;
        var permission = await context.RequestServices.GetRequiredService<FiatPermissions>().GetAsync(user, context.RequestAborted).ConfigureAwait(false);
        return permission is null ? [] : [.. masters.Where(m => permission.Allows(m, RequiredAccess.Read))];
    }

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, FiatRequirement requirement, HttpContext http)
    {
        if (!fiat.Value.Enabled || http.GetRouteValue("master") is not string master || !registry.TryGet(master, out var service))
        {
            context.Succeed(requirement);
            return;
        }

        // As Igor (FiatPermissionEvaluator): a request that names no user is evaluated as "anonymous", whom Fiat grants
        // the unrestricted build services only. Echo's trigger callbacks name the trigger's runAsUser, or anonymous.
        var user = User(http) ?? AnonymousUser;
        var access = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? RequiredAccess.Read : RequiredAccess.Write;
        var permission = await permissions.GetAsync(user, http.RequestAborted).ConfigureAwait(false);
        if (permission is not null && permission.Allows(master, access))
        {
            context.Succeed(requirement);
            return;
        }

        Log.Denied(logger, user, master, access);
        var verb = access == RequiredAccess.Write ? "start, stop or update builds of" : "read";
        var roles = service.Permissions.TryGetValue(access, out var listed) && listed.Count > 0 ? $" (roles: {string.Join(", ", listed)})" : "";
        var reason = permission is null ? "Fiat does not know the user" : $"the user has no {access} permission on it{roles}";
        if (user == AnonymousUser)
        {
            reason += $" (the request named no user in {UserHeader}; for an Echo trigger, give the trigger a runAsUser with {access})";
        }

        context.Fail(new AuthorizationFailureReason(this, $"access denied: user '{user}' may not {verb} master '{master}': {reason}"));
    }

    /// <summary>
    /// A custom stage acting through <paramref name="master"/> for a named Spinnaker user needs that user's WRITE, as the
    /// Jenkins stage does (the stage's shared secret admits Orca; the user, when one is named, must also be allowed).
    /// Orca's webhook stages cannot send <c>X-SPINNAKER-USER</c> (WebhookService drops it from customHeaders), so the
    /// stage body may name the user instead (<c>"user": "${execution.authentication.user}"</c>).
    /// </summary>
    public static async Task RequireStageWriteAsync(HttpContext context, string master, string? bodyUser)
    {
        var fiat = context.RequestServices.GetRequiredService<IOptions<FiatOptions>>().Value;
        if (!fiat.Enabled || (User(context) ?? bodyUser) is not { Length: > 0 } user)
        {
            return;
        }

        var permissions = context.RequestServices.GetRequiredService<FiatPermissions>();
        var permission = await permissions.GetAsync(user, context.RequestAborted).ConfigureAwait(false);
        if (permission is null || !permission.Allows(master, RequiredAccess.Write))
        {
            throw new IgorException(StatusCodes.Status403Forbidden,
                $"access denied: user '{user}' may not act on GitHub through master '{master}': " +
                (permission is null ? "Fiat does not know the user" : "the user has no WRITE permission on it"));
        }
    }

    /// <summary>The user the caller acts for, or null; a malformed header is a 400.</summary>
    private static string? User(HttpContext context)
    {
        var values = context.Request.Headers[UserHeader];
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrWhiteSpace(values[0])))
        {
            return null;
        }

        var user = values.Count == 1 ? values[0]!.Trim() : null;
        if (user is null || user.Length > 256 || user.Any(char.IsControl) || user is "." or "..")
        {
            throw IgorException.BadRequest($"the {UserHeader} header must name one user (at most 256 characters, no control characters)");
        }

        return user;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Denied {User} {Authorization} on master {Master}")]
        public static partial void Denied(ILogger logger, string user, string master, string authorization);
    }
}

/// <summary>The route's master must be readable (GET, HEAD) or writable (anything else) by the caller, per Fiat.</summary>
internal sealed class FiatRequirement : IAuthorizationRequirement;
