using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Contracts;
using Igor.GitHubActions.Contracts.Masters;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Endpoints;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.PassThrough;

/// <summary>
/// <c>/masters</c>, <c>/buildServices</c> and <c>/health</c> in front of an existing Igor: our answer merged with
/// Igor's. When Igor gives none, ours still comes back, and the <see cref="StatusHeader"/> header (and, for health,
/// the <c>igor</c> detail) says that Igor's side is missing and why.
/// </summary>
internal static class MergedListings
{
    public const string StatusHeader = "X-Igor-PassThrough";

    internal static async Task<IResult> GetMastersAsync(
        string? type, HttpContext context, BuildServiceRegistry registry, ExistingIgor igor, CancellationToken cancellationToken)
    {
        // Ours first: an unknown type is refused before Igor is asked.
        var ours = await Security.FiatAuthorizationHandler.ReadableAsync(context, InfoEndpoints.MastersOfType(type, registry)).ConfigureAwait(false);
        var answer = await igor.GetAsync("masters" + context.Request.QueryString, context.Request.Headers, cancellationToken).ConfigureAwait(false);
        var theirs = answer.Strings();
        SetStatusHeader(context, theirs is not null ? "UP" : "DOWN: " + (answer.Failure("GET /masters") ?? "the existing Igor's /masters is not a list of names"));
        return TypedResults.Ok(ours.Union(theirs ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
    }

    internal static async Task<IResult> GetBuildServicesAsync(HttpContext context, BuildServiceRegistry registry, ExistingIgor igor, CancellationToken cancellationToken)
    {
        var ours = ((IValueHttpResult<BuildServiceView[]>)InfoEndpoints.GetBuildServices(registry)).Value ?? [];
        var merged = JsonSerializer.SerializeToNode<IReadOnlyList<BuildServiceView>>(ours, IgorJsonContext.Default.IReadOnlyListBuildServiceView)!.AsArray();
        var answer = await igor.GetAsync("buildServices", context.Request.Headers, cancellationToken).ConfigureAwait(false);
        if (answer.Succeeded && answer.Json is JsonArray theirs)
        {
            // Igor's entries pass as Igor wrote them; a name served on both sides (refused at start) stays ours.
            foreach (var service in theirs.Where(s => s is JsonObject o && o["name"] is JsonValue n && n.TryGetValue<string>(out var name) && !registry.TryGet(name, out _)))
            {
                merged.Add(service!.DeepClone());
            }
        }

        SetStatusHeader(context, answer.Succeeded && answer.Json is not JsonArray ? "DOWN: the existing Igor's /buildServices is not a list" : answer.Describe("GET /buildServices"));
        var sorted = new JsonArray(merged.OrderBy(s => s!["name"]!.GetValue<string>(), StringComparer.Ordinal).Select(s => s!.DeepClone()).ToArray());
        return Results.Text(sorted.ToJsonString(), "application/json", Encoding.UTF8);
    }

    /// <summary>Our health with Igor's added as the <c>igor</c> detail; the overall status stays ours, so a down Igor does not restart this service.</summary>
    internal static async Task<IResult> GetHealthAsync(
        HttpContext context, BuildServiceRegistry registry, HealthProbeCache cache, State.StoreIdentityMonitor store, ExistingIgor igor,
        PassThroughStatus status, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var oursTask = HealthEndpoints.GetHealthAsync(registry, cache, store, cancellationToken);
        var answer = await igor.GetAsync("health", context.Request.Headers, cancellationToken).ConfigureAwait(false);
        var ours = await oursTask.ConfigureAwait(false);
        var value = ((IValueHttpResult)ours).Value!;
        var health = JsonSerializer.SerializeToNode(value, value.GetType(), json.Value.SerializerOptions)!.AsObject();
        if (health["details"] is not JsonObject details)
        {
            health["details"] = details = [];
        }

        var igorStatus = answer.Json is JsonObject o && o["status"] is JsonValue s && s.TryGetValue<string>(out var text) ? text : null;
        var detail = answer.Problem is not null ? "DOWN: " + answer.Problem
            : igorStatus is "UP" && answer.Succeeded ? "UP"
            : $"DOWN: the existing Igor reports {igorStatus ?? "no status"} ({answer.StatusCode})";
        if (status.Clashes.Count > 0)
        {
            detail = $"DOWN: the master name(s) {string.Join(", ", status.Clashes)} are served both here and by the existing Igor";
        }

        details["igor"] = detail;
        SetStatusHeader(context, detail);
        return Results.Text(health.ToJsonString(), "application/json", Encoding.UTF8, (ours as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK);
    }

    /// <summary>Header values are ASCII on one line; Igor's side is described, never quoted.</summary>
    private static void SetStatusHeader(HttpContext context, string value) =>
        context.Response.Headers[StatusHeader] = new string(value.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
