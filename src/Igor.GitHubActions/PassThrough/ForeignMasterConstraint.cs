using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.PassThrough;

/// <summary>Matches a master name that is not one of ours: such requests belong to the existing Igor.</summary>
internal sealed class ForeignMasterConstraint(BuildServiceRegistry registry) : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string { Length: > 0 } master && !registry.TryGet(master, out _);
}
