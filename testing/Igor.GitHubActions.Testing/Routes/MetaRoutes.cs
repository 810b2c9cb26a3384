using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary><c>/rate_limit</c>, <c>/versions</c>, <c>/meta</c>.</summary>
internal static class MetaRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/rate_limit", (HttpContext context) =>
        {
            var bucket = context.Items[SimulatorMiddleware.BucketKey] as RateLimitBucket;
            var (limit, remaining, used, reset) = bucket is null ? (0, 0, 0, core.Now) : core.RateLimits.Count(bucket, consume: false);
            JsonObject Resource() => new()
            {
                ["limit"] = limit,
                ["used"] = used,
                ["remaining"] = remaining,
                ["reset"] = reset.ToUnixTimeSeconds(),
            };
            var body = new JsonObject { ["resources"] = new JsonObject { ["core"] = Resource() } };
            if (context.Request.Headers["X-GitHub-Api-Version"] != "2026-03-10")
            {
                body["rate"] = Resource();
            }

            return new JsonApiResult(body, 200);
        });

        routes.MapGet("/versions", () =>
            new JsonApiResult(core.Options.RunDetails == DispatchRunDetailsSupport.Supported ? new JsonArray("2022-11-28", "2026-03-10") : new JsonArray("2022-11-28"), 200));

        routes.MapGet("/meta", () => new JsonApiResult(
            new JsonObject
            {
                ["verifiable_password_authentication"] = false,
                ["installed_version"] = core.Options.RunDetails == DispatchRunDetailsSupport.Supported ? "3.21.0" : "3.20.0",
            },
            200));
    }
}
