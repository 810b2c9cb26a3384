using Prometheus;

namespace Igor.GitHubActions.Operations;

internal static class OperationsExtensions
{
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
    };

    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        // Graceful shutdown: background workers finish the item in hand (their leases cover a hard stop).
        services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.GetValue("ShutdownTimeout", TimeSpan.FromSeconds(30)));
        return services;
    }

    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseSpinnakerRequestScope();

        // An invented HTTP method would become a metrics series of its own, for good: it is counted (and routed) as OTHER.
        app.Use((context, next) =>
        {
            if (!KnownMethods.Contains(context.Request.Method))
            {
                context.Request.Method = "OTHER";
            }

            return next(context);
        });
        // One histogram per request (its _count is the request count by route and status); the separate counter and
        // in-progress gauge would double the per-request cost for nothing new.
        app.UseHttpMetrics(o =>
        {
            o.ReduceStatusCodeCardinality();
            o.RequestCount.Enabled = false;
            o.InProgress.Enabled = false;
        });
        return app;
    }

    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMetrics("/metrics").AllowAnonymous();

        // Messages Echo refused for good: what was moved aside and why (no bodies: they may carry build parameters).
        routes.MapGet("/admin/outbox/dead-letters", async (State.ILeasedQueue<State.EchoMessage> outbox, CancellationToken cancellationToken) =>
            TypedResults.Json(
                (await outbox.ListDeadLettersAsync(100, cancellationToken).ConfigureAwait(false)).Select(DeadLetter.From).ToArray(),
                Igor.Http.ServiceJsonContext.Default.DeadLetterArray)).WithName("OutboxDeadLetters");
        return routes;
    }
}
