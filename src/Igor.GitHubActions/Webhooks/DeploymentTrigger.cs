using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Webhooks;

/// <summary>
/// The body posted to Echo's <c>/webhooks/webhook/{source}</c> for a created deployment: top-level keys a trigger's
/// payloadConstraints can match (repository, environment, ref, sha, task, deployment_id, creator, payload) and
/// <c>parameters</c>, which become the pipeline's parameters (strings).
/// </summary>
internal static class DeploymentTrigger
{
    public static JsonObject Body(string repository, JsonElement deployment)
    {
        var id = deployment.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.Number && idJson.TryGetInt64(out var n) ? n : 0;
        var creator = deployment.TryGetProperty("creator", out var c) && c.ValueKind == JsonValueKind.Object ? Text(c, "login") : null;
        var fields = new Dictionary<string, string?>
        {
            ["repository"] = repository,
            ["environment"] = Text(deployment, "environment"),
            ["ref"] = Text(deployment, "ref"),
            ["sha"] = Text(deployment, "sha"),
            ["task"] = Text(deployment, "task"),
            ["deployment_id"] = id.ToString(CultureInfo.InvariantCulture),
            ["creator"] = creator,
            ["description"] = Text(deployment, "description"),
        };

        var body = new JsonObject();
        foreach (var (key, value) in fields)
        {
            body[key] = key == "deployment_id" ? JsonValue.Create(id) : value;
        }

        body["payload"] = deployment.TryGetProperty("payload", out var payload) ? JsonNode.Parse(payload.GetRawText()) : new JsonObject();
        body["url"] = Text(deployment, "url");
        body["parameters"] = new JsonObject(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));
        body["artifacts"] = new JsonArray();
        return body;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
