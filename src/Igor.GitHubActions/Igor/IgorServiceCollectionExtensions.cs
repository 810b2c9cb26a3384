using System.Text.Encodings.Web;
using Igor.GitHubActions.Contracts;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.Igor;

internal static class IgorServiceCollectionExtensions
{
    public static IServiceCollection AddIgorApi(this IServiceCollection services)
    {
        services.AddExceptionHandler<IgorExceptionHandler>();
        services.AddProblemDetails();
        services.AddSingleton<HealthProbeCache>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, IgorJsonContext.Default);

            // Messages are read by people in Deck: keep quotes and apostrophes as they are.
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIgorEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapHealthEndpoints().MapInfoEndpoints().MapBuildEndpoints()
            .MapPropertyEndpoints().MapCiEndpoints().MapLogPageEndpoints();
}
