using Igor.GitHubActions.Security;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Stages;

/// <summary>Custom stages for Orca's <c>webhook.preconfigured</c> (contract §8); see samples/orca-local.yml.</summary>
internal static class StageServiceCollectionExtensions
{
    public static IServiceCollection AddStages(this IServiceCollection services)
    {
        services.AddOptions<StagesOptions>().BindConfiguration(StagesOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StagesOptions>, StagesOptionsValidator>();
        return services;
    }

    /// <summary>The stage routes, behind <see cref="StagesOptions.Secret"/> (and the bearer tokens and client certificates when those are on).</summary>
    public static IEndpointRouteBuilder MapStageEndpoints(this IEndpointRouteBuilder routes)
    {
        var stages = routes.MapGroup("/stages").AddEndpointFilter(async (context, next) =>
        {
            var secret = context.HttpContext.RequestServices.GetRequiredService<IOptions<StagesOptions>>().Value.Secret;
            return SharedSecret.Check(context.HttpContext, secret, StagesOptions.SecretHeader, "Stages:Secret", "the /stages routes")
                ?? await next(context).ConfigureAwait(false);
        });
        stages.MapWorkflowStageEndpoints();
        stages.MapGitHubStatusStageEndpoints();
        return routes;
    }
}
