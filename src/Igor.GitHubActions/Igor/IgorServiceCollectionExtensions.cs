using System.Text.Encodings.Web;
using Igor.GitHubActions.Contracts;
using Igor.GitHubActions.Igor.Endpoints;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.Igor;

internal static class IgorServiceCollectionExtensions
{
    /// <summary>The longest request line accepted: three times GitHub's input budget, with room for the path.</summary>
    internal const int MaxRequestLineBytes = 256 * 1024;

    public static IServiceCollection AddIgorApi(this IServiceCollection services)
    {
        services.AddExceptionHandler<IgorExceptionHandler>();
        services.AddProblemDetails();
        services.AddSingleton<HealthProbeCache>();

        // Orca sends every Jenkins parameter in the query string, re-encoded with java.net.URLEncoder (up to 3× longer):
        // the 65,535 characters GitHub takes for a workflow's inputs need a request line of about 200 KB, not Kestrel's
        // 8 KB. Past this, Kestrel answers 414; below it, a too-long set of parameters gets a 400 naming the limit.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes);
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
