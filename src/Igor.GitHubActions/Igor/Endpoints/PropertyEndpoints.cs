using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Igor.Http;

using Igor.GitHubActions.Security;

namespace Igor.GitHubActions.Igor.Endpoints;

/// <summary>
/// Orca's GetBuildPropertiesTask and GetBuildArtifactsTask (contract §2.5, §2.6): the properties of a finished build,
/// and the Spinnaker artifacts its property file declares under <c>artifacts</c>.
/// </summary>
internal static class PropertyEndpoints
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapPropertyEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/builds/properties/{buildNumber}/{fileName}/{master}/{**job}", GetPropertiesAsync).WithName("GetBuildProperties").RequireFiat();
        return routes;
    }

    internal static async Task<IResult> GetPropertiesAsync(
        string master, string buildNumber, HttpContext context, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.GetProperties(master);

        // From the raw path: the route value would keep an encoded '/' (%2F) as it is.
        var fileName = FileName(JobRoute.Segment(context, "fileName"));
        var job = BuildEndpoints.JobFromPathOrQuery(context);
        var properties = await service.GetBuildPropertiesAsync(job, BuildEndpoints.BuildNumber(buildNumber), fileName, cancellationToken).ConfigureAwait(false);
        return Results.Text(properties.ToJsonString(Json), "application/json");
    }

    /// <summary>The kork artifacts under the properties' <c>artifacts</c> key (a list, or a JSON list in a string, as a .properties file holds it).</summary>
    internal static async Task<IResult> DeclaredArtifactsAsync(
        IBuildProperties service, JobName job, int buildNumber, string propertyFile, CancellationToken cancellationToken)
    {
        var properties = await service.GetBuildPropertiesAsync(job, buildNumber, FileName(propertyFile), cancellationToken).ConfigureAwait(false);
        var declared = properties["artifacts"] switch
        {
            JsonArray array => array,
            JsonValue value when value.TryGetValue<string>(out var text) && text.TrimStart().StartsWith('[') => Parse(text, propertyFile),
            null => [],
            _ => throw IgorException.Unprocessable($"'artifacts' in {propertyFile} of build {buildNumber} of {job} is not a list of Spinnaker artifacts"),
        };
        return Results.Text(new JsonArray([.. declared.Where(a => a is JsonObject).Select(a => a!.DeepClone())]).ToJsonString(Json), "application/json");
    }

    /// <summary>A bare file name: Orca percent-encodes the segment, so a path would arrive here whole.</summary>
    internal static string FileName(string fileName) =>
        fileName.Length == 0 || fileName.Length > 255 || fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal) ||
        fileName.Contains("..", StringComparison.Ordinal) || fileName.Any(char.IsControl)
            ? throw IgorException.BadRequest($"'{fileName}' is not a property file name: give a bare file name such as build.properties, without '/', '\\' or '..'")
            : fileName;

    private static JsonArray Parse(string text, string propertyFile)
    {
        try
        {
            return JsonNode.Parse(text) as JsonArray ?? [];
        }
        catch (JsonException e)
        {
            throw IgorException.Unprocessable($"'artifacts' in {propertyFile} is not valid JSON ({e.Message})");
        }
    }
}
