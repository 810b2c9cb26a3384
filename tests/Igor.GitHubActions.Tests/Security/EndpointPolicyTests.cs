using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>
/// The security policy is declared on the routes: anonymous only where the route has a credential of its own, Fiat on
/// every Igor route that names a master, and a caller (token, client certificate) everywhere else, new routes included.
/// </summary>
[CancelAfter(60_000)]
public sealed class EndpointPolicyTests
{
    private static readonly string[] Anonymous =
    [
        "/webhooks/github",                                            // GitHub's signature
        "/echo/events",                                                // Echo's shared secret
        "/health", "/metrics",                                         // Kubernetes probes, Prometheus
        "/logs/{master}/{owner}/{repo}/{runId}/{signature:length(22)}/",            // the link's signature
        "/logs/{master}/{owner}/{repo}/{runId}/{signature:length(22)}/consoleText",
    ];

    [Test]
    public async Task AnonymousRoutes_AreOnlyThoseWithACredentialOfTheirOwn()
    {
        await using var scenario = await GitHubScenario.CreateAsync();

        var anonymous = Endpoints(scenario).Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(Pattern).ToArray();

        anonymous.Should().BeEquivalentTo(Anonymous);
    }

    [Test]
    public async Task IgorRoutesNamingAMaster_RequireFiat_AndTheStagesTheirSecret()
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var endpoints = Endpoints(scenario).Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null).ToArray();

        var naming = endpoints.Where(e => e.RoutePattern.GetParameter("master") is not null && !Pattern(e).StartsWith("/stages", StringComparison.Ordinal)).ToArray();
        naming.Select(Pattern).Should().Contain(["/masters/{master}/jobs/{**rest}", "/builds/status/{buildNumber}/{master}/{**job}", "/jobs/{master}/", "/logs/{master}/{owner}/{repo}/{runId}/"]);
        naming.Where(e => !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == "fiat")).Select(Pattern).Should().BeEmpty(
            "every Igor route naming a master checks Fiat (Igor's @PreAuthorize hasPermission(#master, 'BUILD_SERVICE', ...))");
        endpoints.Where(e => Pattern(e).StartsWith("/stages", StringComparison.Ordinal)).Should().NotBeEmpty()
            .And.OnlyContain(e => e.Metadata.GetMetadata<IAllowAnonymous>() == null, "the stages act on GitHub: a caller and their secret");
    }

    [Test]
    public async Task ARouteThatDeclaresNothing_NeedsTheCaller()
    {
        // /admin/outbox/dead-letters and /installedPlugins declare no policy: the fallback policy admits only a caller.
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["Security:BearerTokens:0"] = BearerTokenTests.Token;
        await scenario.StartServiceAsync();

        foreach (var path in new[] { "admin/outbox/dead-letters", "installedPlugins", "ci/builds?projectKey=x&repoSlug=y" })
        {
            using var response = await scenario.Client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, path);
            (await response.Content.ReadAsStringAsync()).Should().Contain("Security:BearerTokens", path);
        }
    }

    private static RouteEndpoint[] Endpoints(GitHubScenario scenario) =>
        scenario.Service!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

    private static string Pattern(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
}
