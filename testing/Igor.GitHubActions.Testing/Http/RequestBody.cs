using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Http;

/// <summary>Access to the request body that the recording middleware buffered.</summary>
internal static class RequestBody
{
    public const string ItemKey = "sim.body";

    public static string Text(HttpContext context) => context.Items.TryGetValue(ItemKey, out var body) ? body as string ?? "" : "";

    /// <summary>Parses the body as a JSON object (an empty body is an empty object); null with a 400 error otherwise.</summary>
    public static JsonObject? ReadObject(HttpContext context, out IResult? error)
    {
        error = null;
        var text = Text(context);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            if (JsonNode.Parse(text) is JsonObject body)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }

        error = ApiErrors.ProblemsParsingJson();
        return null;
    }

    public static string? String(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool? Bool(JsonObject body, string name) =>
        body[name]?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
}
