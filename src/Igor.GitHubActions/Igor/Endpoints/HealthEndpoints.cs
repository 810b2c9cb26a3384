using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Igor.Endpoints;

/// <summary>
/// <c>GET /health</c> for Gate: UP while at least one master reaches GitHub with valid credentials. The
/// probe result is kept briefly, so frequent health checks do not spend GitHub's rate limit.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealthAsync).WithName("GetHealth").AllowAnonymous();
        return routes;
    }

    /// <summary>The details key of the state store (the others are master names).</summary>
    public const string StoreDetail = "state-store";

    internal static async Task<JsonHttpResult<HealthAnswer>> GetHealthAsync(
        BuildServiceRegistry registry, HealthProbeCache cache, State.StoreIdentityMonitor store, CancellationToken cancellationToken)
    {
        var problems = await cache.GetAsync(async ct =>
        {
            var checks = registry.All.Select(async s => (s.Name, Problem: await s.CheckHealthAsync(ct).ConfigureAwait(false)));
            return (await Task.WhenAll(checks).ConfigureAwait(false)).ToDictionary(c => c.Name, c => c.Problem);
        }, cancellationToken).ConfigureAwait(false);

        var details = problems.ToDictionary(p => p.Key, p => p.Value is null ? "UP" : "DOWN: " + p.Value, StringComparer.Ordinal);

        // A store found empty or replaced is an incident to see, not a reason to take the service out of rotation.
        details[StoreDetail] = store.Replacement is { } replaced
            ? $"REPLACED at {replaced.At:O}: the store was {replaced.Previous.Id} (created {replaced.Previous.CreatedAt:O}) and is now {replaced.Current.Id}; " +
              "queue items and events of the old store are lost (give Redis persistence, keep the SQLite file on a volume)"
            : "UP";
        if (problems.Count == 0)
        {
            return TypedResults.Json(HealthAnswer.Down("masters", "no GitHub master is configured (GitHub:Masters)"), Http.ServiceJsonContext.Default.HealthAnswer, statusCode: 503);
        }

        return problems.Values.Any(p => p is null)
            ? TypedResults.Json(new HealthAnswer("UP", details), Http.ServiceJsonContext.Default.HealthAnswer)
            : TypedResults.Json(new HealthAnswer("DOWN", details), Http.ServiceJsonContext.Default.HealthAnswer, statusCode: 503);
    }
}
