using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.Contracts.Masters;
using Igor.GitHubActions.Igor.Http;

using Igor.GitHubActions.Security;

namespace Igor.GitHubActions.Igor.Endpoints;

/// <summary>Masters, jobs and job configurations, as Gate and Fiat read them (Igor: InfoController).</summary>
internal static class InfoEndpoints
{
    private static readonly string[] KnownTypes = ["JENKINS", "TRAVIS", "CONCOURSE", "GITLAB_CI", "GCB", "WERCKER"];

    public static IEndpointRouteBuilder MapInfoEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/masters", GetMastersAsync).WithName("GetMasters");
        routes.MapGet("/buildServices", GetBuildServices).WithName("GetBuildServices");

        // Igor's MasterJobs: a master's jobs and a job's configuration need READ on the master.
        var jobs = routes.MapGroup("/jobs/{master}").RequireFiat();
        jobs.MapGet("", GetJobsAsync).WithName("GetJobs");
        jobs.MapGet("/{**job}", GetJobConfigAsync).WithName("GetJobConfig");
        routes.MapGet("/installedPlugins", () => TypedResults.Ok(Array.Empty<object>())).WithName("GetInstalledPlugins");
        return routes;
    }

    /// <summary>
    /// Our masters answer to the jenkins type, so Deck's Jenkins stage lists them; other types have none here. With Fiat
    /// on, only the masters the caller may READ are listed (Igor's InfoController @PostFilter).
    /// </summary>
    internal static async Task<IResult> GetMastersAsync(string? type, HttpContext context, BuildServiceRegistry registry) =>
        TypedResults.Ok(await Security.FiatAuthorizationHandler.ReadableAsync(context, MastersOfType(type, registry)).ConfigureAwait(false));

    /// <summary>Our masters of a type (all of them without one); a type Igor does not know is a 400.</summary>
    internal static string[] MastersOfType(string? type, BuildServiceRegistry registry)
    {
        if (string.IsNullOrEmpty(type))
        {
            return registry.Names.ToArray();
        }

        var upper = type.ToUpperInvariant();
        if (!KnownTypes.Contains(upper))
        {
            throw IgorException.BadRequest($"'{type}' is not a build service type (expected one of {string.Join(", ", KnownTypes).ToLowerInvariant()})");
        }

        return upper == "JENKINS" ? registry.Names.ToArray() : [];
    }

    internal static IResult GetBuildServices(BuildServiceRegistry registry) =>
        TypedResults.Ok(registry.All.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new BuildServiceView { Name = s.Name, Permissions = s.Permissions })
            .ToArray());

    internal static async Task<IResult> GetJobsAsync(string master, BuildServiceRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.Get(master).GetJobsAsync(cancellationToken).ConfigureAwait(false));

    internal static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<JobConfiguration>> GetJobConfigAsync(
        string master, HttpContext context, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.Get(master);
        var job = JobRoute.ToJob(JobRoute.CatchAll(context));
        return TypedResults.Ok(await service.GetJobConfigAsync(job, cancellationToken).ConfigureAwait(false));
    }
}
