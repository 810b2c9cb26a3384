using System.Globalization;
using System.Text.Json;

namespace Igor.GitHubActions.Deployments;

/// <summary>
/// Reads Echo's REST event envelopes (contract §9): <c>{details: {type, ...}, content: {execution, ...}, eventId}</c>.
/// Every event goes to every endpoint, so the type is found in one forward pass without building a document.
/// </summary>
internal static class PipelineEvents
{
    public const string Starting = "orca:pipeline:starting";
    public const string Complete = "orca:pipeline:complete";
    public const string Failed = "orca:pipeline:failed";

    /// <summary><c>details.type</c> of an envelope, or null; a <see cref="JsonException"/> when the body is not a JSON object.</summary>
    public static string? ReadType(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the event is not a JSON object");
        }

        string? type = null;
        var inDetails = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                inDetails = reader.ValueTextEquals("details"u8);
            }
            else if (inDetails && reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return type;
    }

    /// <summary>
    /// Echo's other envelope forms, made plain: <c>wrap: true</c> puts the event under one key beside <c>eventName</c>
    /// (<c>{"eventName": ..., "payload": {...}}</c>, the key configurable in Echo), and <c>flatten: true</c> turns
    /// <c>details</c> and <c>content</c> into JSON strings. Null when the body is neither.
    /// </summary>
    public static byte[]? Unwrap(byte[] body)
    {
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!root.TryGetProperty("details", out _) && root.TryGetProperty("eventName", out _))
        {
            var wrapped = root.EnumerateObject().Where(p => p.Name != "eventName" && p.Value.ValueKind == JsonValueKind.Object).ToArray();
            if (wrapped.Length != 1)
            {
                return null;
            }

            root = wrapped[0].Value;
        }
        else if (root.TryGetProperty("details", out var d) && d.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var plain = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in root.EnumerateObject())
        {
            plain[property.Name] = property.Value.ValueKind == JsonValueKind.String && property.Name is "details" or "content"
                ? System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetString()!)
                : System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        }

        return JsonSerializer.SerializeToUtf8Bytes(plain);
    }

    /// <summary>The outcome a pipeline event reports, or null for any other event.</summary>
    public static PipelineOutcome? Outcome(string? type, JsonElement execution) => type switch
    {
        Starting => PipelineOutcome.Starting,
        Complete => PipelineOutcome.Succeeded,
        Failed => Text(execution, "status") is "CANCELED" || execution.TryGetProperty("canceled", out var c) && c.ValueKind == JsonValueKind.True
            ? PipelineOutcome.Canceled
            : PipelineOutcome.Failed,
        _ => null,
    };

    /// <summary>
    /// The execution, with the deployment it was started for: the trigger's <c>payload</c> (the body the service posted
    /// to Echo) when it is a webhook trigger of <paramref name="source"/>, else its <c>parameters</c>.
    /// </summary>
    public static PipelineExecution? Execution(JsonElement content, string source, string environmentUrlName)
    {
        if (content.ValueKind != JsonValueKind.Object || !content.TryGetProperty("execution", out var execution) || execution.ValueKind != JsonValueKind.Object ||
            Text(execution, "id") is not { Length: > 0 } id)
        {
            return null;
        }

        string? repository = null;
        long? deploymentId = null;
        string? environment = null;
        string? environmentUrl = null;
        if (execution.TryGetProperty("trigger", out var trigger) && trigger.ValueKind == JsonValueKind.Object)
        {
            var parameters = Object(trigger, "parameters");
            if (Text(trigger, "type") == "webhook" && Text(trigger, "source") == source && Object(trigger, "payload") is { } payload)
            {
                repository = Text(payload, "repository");
                deploymentId = Number(payload, "deployment_id");
                environment = Text(payload, "environment");
            }

            if ((repository is null || deploymentId is null) && parameters is { } p)
            {
                repository = Text(p, "repository");
                deploymentId = Number(p, "deployment_id");
                environment = Text(p, "environment");
            }

            environmentUrl = parameters is { } q ? Text(q, environmentUrlName) : null;
        }

        if (execution.TryGetProperty("stages", out var stages) && stages.ValueKind == JsonValueKind.Array)
        {
            foreach (var stage in stages.EnumerateArray())
            {
                if (Object(stage, "outputs") is { } outputs && Text(outputs, environmentUrlName) is { Length: > 0 } output)
                {
                    environmentUrl = output;
                }
            }
        }

        return new PipelineExecution(
            id,
            Text(execution, "name") ?? "pipeline",
            Text(execution, "application") ?? "",
            Text(execution, "status") ?? "",
            repository,
            deploymentId is > 0 ? deploymentId : null,
            environmentUrl is { Length: > 0 } ? environmentUrl : null,
            Number(execution, "startTime"),
            Number(execution, "endTime"),
            environment);
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }
}
