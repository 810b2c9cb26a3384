using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.PassThrough;

/// <summary>
/// The routes that make this service a front for an existing Igor (<c>Igor:PassThroughUrl</c>). They are mapped only
/// when it is set, and ordered around ours: requests naming a master that is not ours are taken before our
/// endpoints (which would answer 404 "no build master"), and whatever none of our endpoints serves falls through
/// to Igor whole (<c>/gcb/...</c>, <c>/artifacts/...</c>, <c>/{repoType}/.../compareCommits</c>, ...).
/// </summary>
internal static class PassThroughEndpoints
{
    /// <summary>Every Igor route that names a build master, with the master where Igor's routes put it.</summary>
    internal static readonly string[] MasterRoutes =
    [
        "/jobs/{master}/{**rest}",
        "/masters/{master}/{**rest}",
        "/builds/status/{buildNumber}/{master}/{**rest}",
        "/builds/properties/{buildNumber}/{fileName}/{master}/{**rest}",
        "/builds/artifacts/{buildNumber}/{master}/{**rest}",
        "/builds/queue/{master}/{**rest}",
        "/builds/all/{master}/{**rest}",
    ];

    private const int BeforeOurs = -1;
    private const int AfterOurs = 1;

    public static IEndpointRouteBuilder MapPassThrough(this IEndpointRouteBuilder routes)
    {
        if (!routes.ServiceProvider.GetRequiredService<IOptions<PassThroughOptions>>().Value.Enabled)
        {
            return routes;
        }

        var foreign = new RouteValueDictionary { ["master"] = new ForeignMasterConstraint(routes.ServiceProvider.GetRequiredService<BuildServiceRegistry>()) };
        foreach (var route in MasterRoutes)
        {
            routes.Map(RoutePatternFactory.Parse(route, defaults: null, parameterPolicies: foreign), ForwardAsync)
                .WithOrder(BeforeOurs).WithDisplayName("Forward " + route);

            // Our master on a route we do not serve: answered here rather than sent to Igor, which does not know it.
            routes.Map(route, NotServed).WithOrder(AfterOurs).WithDisplayName("Not served " + route);
        }

        routes.MapGet("/masters", MergedListings.GetMastersAsync).WithOrder(BeforeOurs).WithName("GetMergedMasters");
        routes.MapGet("/buildServices", MergedListings.GetBuildServicesAsync).WithOrder(BeforeOurs).WithName("GetMergedBuildServices");
        routes.MapGet("/health", MergedListings.GetHealthAsync).WithOrder(BeforeOurs).WithName("GetMergedHealth").AllowAnonymous();

        // Igor's plugins, not ours (we have none).
        routes.Map("/installedPlugins", ForwardAsync).WithOrder(BeforeOurs).WithName("ForwardInstalledPlugins");
        routes.Map("/{**path}", ForwardAsync).WithOrder(int.MaxValue).WithName("ForwardEverythingElse");
        return routes;
    }

    private static Task ForwardAsync(HttpContext context, IgorForwarder forwarder) => forwarder.ForwardAsync(context);

    private static IResult NotServed(string master, HttpContext context) =>
        throw IgorException.NotFound($"{context.Request.Method} {context.Request.Path} is not served for the master '{master}'");
}
