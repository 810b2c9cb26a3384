using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Testing.Json;

/// <summary>Formatting shared by the JSON builders.</summary>
internal static class JsonFormat
{
    /// <summary>ISO 8601 UTC with a <c>Z</c>, second precision, as GitHub writes dates.</summary>
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonNode? Date(DateTimeOffset? value) => value is { } v ? JsonValue.Create(Date(v)) : null;

    /// <summary>A legacy GraphQL node id, e.g. <c>MDExOldvcmtmbG93UnVuMQ==</c> for ("WorkflowRun", 1).</summary>
    public static string NodeId(string type, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{type.Length:D3}:{type}{id.ToString(CultureInfo.InvariantCulture)}"));

    public static JsonObject Permissions(IReadOnlyDictionary<string, string> permissions)
    {
        var json = new JsonObject();
        foreach (var (key, value) in permissions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json;
    }

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
