using Prometheus;

namespace Igor.GitHubActions.Operations;

internal static class OperationsExtensions
{
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        // Graceful shutdown: background workers finish the item in hand (their leases cover a hard stop).
        services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.GetValue("ShutdownTimeout", TimeSpan.FromSeconds(30)));
        return services;
    }

    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseSpinnakerRequestScope();
        app.UseHttpMetrics(o => o.ReduceStatusCodeCardinality());
        return app;
    }

    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMetrics("/metrics");
        return routes;
    }
}
