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

            // Igor's models are NON_NULL: these options, not the context's, govern what the HTTP responses write, and a
            // "metadata": null makes kork's Artifact builder drop an artifact's fileName, paths and url. Nulls Spinnaker
            // needs (a running build's result, the queue's number, a parameter's defaultValue) are marked to be written.
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;

            // Messages are read by people in Deck: keep quotes and apostrophes as they are.
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIgorEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapHealthEndpoints().MapInfoEndpoints().MapBuildEndpoints()
            .MapPropertyEndpoints().MapCiEndpoints().MapLogPageEndpoints();
}
