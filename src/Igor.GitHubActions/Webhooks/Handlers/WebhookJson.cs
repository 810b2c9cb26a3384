using System.Text.Json;

namespace Igor.GitHubActions.Webhooks.Handlers;

/// <summary>Tolerant reads of a webhook payload: a missing or wrongly typed field is <see langword="null"/>, never a throw.</summary>
internal static class WebhookJson
{
    public static JsonElement? WorkflowRun(JsonElement root) =>
        root.TryGetProperty("workflow_run", out var run) && run.ValueKind == JsonValueKind.Object ? run : null;

    public static string? Creator(JsonElement deployment) =>
        deployment.TryGetProperty("creator", out var creator) && creator.ValueKind == JsonValueKind.Object ? Text(creator, "login") : null;

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
