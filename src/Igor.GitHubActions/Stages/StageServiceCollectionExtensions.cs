namespace Igor.GitHubActions.Stages;

/// <summary>Custom stages for Orca's <c>webhook.preconfigured</c> (contract §8); see samples/orca-local.yml.</summary>
internal static class StageServiceCollectionExtensions
{
    /// <summary>The stages keep no state of their own beyond the store's stage runs; nothing to register yet.</summary>
    public static IServiceCollection AddStages(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapStageEndpoints(this IEndpointRouteBuilder routes)
    {
        var stages = routes.MapGroup("/stages");
        stages.MapWorkflowStageEndpoints();
        stages.MapGitHubStatusStageEndpoints();
        return routes;
    }
}
