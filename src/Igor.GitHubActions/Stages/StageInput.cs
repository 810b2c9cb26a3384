using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.Stages;

/// <summary>
/// The JSON body of a custom-stage call. Orca renders the payload from SpEL, so every value may arrive as a string
/// (<c>"12"</c>, <c>"true"</c>); each accessor takes both forms and a bad value is a 400 naming its field.
/// </summary>
internal sealed class StageInput(JsonObject body)
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<StageInput> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw IgorException.BadRequest($"the request body is over {MaxBodyBytes} bytes");
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (text.Length > MaxBodyBytes)
        {
            throw IgorException.BadRequest($"the request body is over {MaxBodyBytes} bytes");
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject body
                ? new StageInput(body)
                : throw IgorException.BadRequest("the request body must be a JSON object (set the stage's payload and Content-Type: application/json)");
        }
        catch (JsonException e)
        {
            throw IgorException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    public string Required(string field, string what) =>
        Optional(field) ?? throw IgorException.BadRequest($"{field}: missing; expected {what}");

    public string? Optional(string field)
    {
        var node = body[field];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
        {
            throw IgorException.BadRequest($"{field}: expected a string, got {node.ToJsonString()}");
        }

        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>().Trim() : value.ToJsonString();
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw IgorException.BadRequest($"{field}: contains control characters");
        }

        return text.Length == 0 ? null : text;
    }

    public bool? Flag(string field) => Optional(field) switch
    {
        null => null,
        var text when bool.TryParse(text, out var flag) => flag,
        var text => throw IgorException.BadRequest($"{field}: '{text}' is not true or false"),
    };

    public long Id(string field) =>
        long.TryParse(Required(field, "a number"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw IgorException.BadRequest($"{field}: '{Optional(field)}' is not a positive number");

    public string OneOf(string field, IReadOnlyCollection<string> allowed, string? defaultValue = null)
    {
        var value = Optional(field) ?? defaultValue ?? throw IgorException.BadRequest($"{field}: missing; expected one of {string.Join(", ", allowed)}");
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw IgorException.BadRequest($"{field}: '{value}' is not one of {string.Join(", ", allowed)}");
    }

    public string? Text(string field, int maxLength)
    {
        var value = Optional(field);
        return value is null || value.Length <= maxLength
            ? value
            : throw IgorException.BadRequest($"{field}: {value.Length} characters; GitHub takes at most {maxLength}");
    }

    public string? Url(string field)
    {
        var value = Optional(field);
        return value is null || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? value
            : throw IgorException.BadRequest($"{field}: '{value}' is not an absolute http(s) URL");
    }

    /// <summary>An object given as JSON, or as a string holding a JSON object (what SpEL renders); empty is null.</summary>
    public JsonObject? Object(string field)
    {
        var node = body[field];
        if (node is null or JsonObject)
        {
            return (JsonObject?)node?.DeepClone();
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>().Trim();
            if (text.Length == 0)
            {
                return null;
            }

            try
            {
                if (JsonNode.Parse(text) is JsonObject parsed)
                {
                    return parsed;
                }
            }
            catch (JsonException)
            {
                // Reported below.
            }
        }

        throw IgorException.BadRequest($"{field}: expected a JSON object, got {node.ToJsonString()}");
    }

    /// <summary>A list given as a JSON array of strings or a comma-separated string; null when absent.</summary>
    public IReadOnlyList<string>? List(string field)
    {
        var node = body[field];
        return node switch
        {
            null => null,
            JsonArray array when array.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String) =>
                array.Select(n => n!.GetValue<string>()).ToArray(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String =>
                v.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => throw IgorException.BadRequest($"{field}: expected a list of names (a JSON array or a comma-separated string)"),
        };
    }

    /// <summary>The <c>owner/repo</c> in <paramref name="field"/>.</summary>
    public (string Owner, string Repository) Repository(string field = "repository")
    {
        var value = Required(field, "owner/repo");
        var parts = value.Split('/');
        return parts.Length == 2 && JobName.TryCreate(parts[0], parts[1], "x.yml", out _, out _)
            ? (parts[0], parts[1])
            : throw IgorException.BadRequest($"{field}: '{value}' is not owner/repo");
    }
}
