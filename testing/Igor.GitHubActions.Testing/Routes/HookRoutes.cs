using System.Globalization;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>The App webhook: config, deliveries (cursor-paged, newest first) and redelivery attempts. JWT only.</summary>
internal static class HookRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/app/hook/config", (HttpContext context) =>
        {
            if (Access.App(core, context, out var error) is null)
            {
                return error!;
            }

            var hooks = core.Webhooks!;
            return new JsonApiResult(
                new JsonObject
                {
                    ["content_type"] = "json",
                    ["secret"] = hooks.Secret is null ? null : "********",
                    ["url"] = hooks.Url?.AbsoluteUri,
                    ["insecure_ssl"] = "0",
                },
                200);
        });

        routes.MapGet("/app/hook/deliveries", (HttpContext context) =>
        {
            if (Access.App(core, context, out var error) is null)
            {
                return error!;
            }

            var query = context.Request.Query;
            var (perPage, _) = Paging.Read(context);
            var status = query["status"].ToString();
            var cursor = query["cursor"].ToString() is { Length: > 3 } c && c.StartsWith("v1_", StringComparison.Ordinal)
                && long.TryParse(c[3..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var after) ? after : long.MaxValue;
            var matching = core.Webhooks!.Deliveries
                .Where(d => status.Length == 0 || (status == "success" ? d.Succeeded : status == "failure" && !d.Succeeded))
                .Where(d => d.Id < cursor)
                .OrderByDescending(d => d.Id)
                .ToList();
            var page = matching.Take(perPage).ToList();
            var headers = new Dictionary<string, string>();
            if (matching.Count > perPage)
            {
                var next = new Dictionary<string, string?>
                {
                    ["per_page"] = perPage.ToString(CultureInfo.InvariantCulture),
                    ["cursor"] = $"v1_{page[^1].Id.ToString(CultureInfo.InvariantCulture)}",
                };
                if (status.Length > 0)
                {
                    next["status"] = status;
                }

                headers["Link"] = $"<{QueryHelpers.AddQueryString($"{Urls.From(context).Api}app/hook/deliveries", next)}>; rel=\"next\"";
            }

            return new JsonApiResult(new JsonArray([.. page.Select(d => (JsonNode)Item(d))]), 200, headers);
        });

        routes.MapGet("/app/hook/deliveries/{deliveryId:long}", (HttpContext context, long deliveryId) =>
        {
            if (Access.App(core, context, out var error) is null)
            {
                return error!;
            }

            if (core.Webhooks!.Find(deliveryId) is not { } delivery)
            {
                return ApiErrors.NotFound();
            }

            var item = Item(delivery);
            item["url"] = core.Webhooks.Url?.AbsoluteUri;
            item["request"] = new JsonObject { ["headers"] = JsonFormat.Permissions(delivery.RequestHeaders), ["payload"] = JsonNode.Parse(delivery.Payload) };
            item["response"] = new JsonObject { ["headers"] = new JsonObject(), ["payload"] = delivery.ResponseBody };
            return new JsonApiResult(item, 200);
        });

        routes.MapPost("/app/hook/deliveries/{deliveryId:long}/attempts", (HttpContext context, long deliveryId) =>
        {
            if (Access.App(core, context, out var error) is null)
            {
                return error!;
            }

            if (core.Webhooks!.Find(deliveryId) is not { } delivery)
            {
                return ApiErrors.NotFound();
            }

            core.Webhooks.QueueRedelivery(delivery);
            return new JsonApiResult(new JsonObject(), StatusCodes.Status202Accepted);
        });
    }

    private static JsonObject Item(WebhookDelivery delivery) => new()
    {
        ["id"] = delivery.Id,
        ["guid"] = delivery.Guid,
        ["delivered_at"] = JsonFormat.Date(delivery.DeliveredAt),
        ["redelivery"] = delivery.Redelivery,
        ["duration"] = Math.Round(delivery.Duration, 2),
        ["status"] = delivery.Status,
        ["status_code"] = delivery.StatusCode,
        ["event"] = delivery.Event,
        ["action"] = delivery.Action,
        ["installation_id"] = delivery.InstallationId,
        ["repository_id"] = delivery.RepositoryId,
        ["throttled_at"] = null,
    };
}
