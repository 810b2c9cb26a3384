using Igor.GitHubActions.GitHubSimulator.State;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.GitHubSimulator.Routes;

/// <summary>App webhook deliveries (placeholder).</summary>
internal static class HookRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        _ = routes;
        _ = core;
    }
}
