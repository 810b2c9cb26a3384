namespace Igor.GitHubActions.Security;

/// <summary>What a request needs from Fiat: an authorization (READ or WRITE) on a master, and whether it is checked at all.</summary>
internal sealed record RequiredAccess(string Master, string Authorization, bool UserRequired)
{
    public const string Read = "READ";

    public const string Write = "WRITE";

    /// <summary>
    /// The access a request to a route naming a master needs, as Igor's <c>@PreAuthorize hasPermission(#master,
    /// 'BUILD_SERVICE', ...)</c> (contract §3.5): READ to read, WRITE to start, stop or update. Null for routes
    /// without a master (/masters, /buildServices, /health, webhooks), which need no permission.
    /// </summary>
    public static RequiredAccess? For(HttpContext context)
    {
        if (context.GetRouteValue("master") is not string master || context.GetEndpoint() is not RouteEndpoint endpoint ||
            context.Request.Path.StartsWithSegments("/stages", StringComparison.OrdinalIgnoreCase))
        {
            // The custom stages check their own: a shared secret, and WRITE for a named user where they act on GitHub.
            return null;
        }

        // Signed log links (a route with a signature, checked by the endpoint) need no permission: Gate's proxy sends no user.
        var read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var signed = read && endpoint.RoutePattern.GetParameter("signature") is not null;
        return new RequiredAccess(master, read ? Read : Write, UserRequired: !signed);
    }
}
