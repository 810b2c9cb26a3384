using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Echo;

/// <summary>The event's metadata: Echo requires <c>type: build</c>.</summary>
public sealed record BuildEventDetails
{
    [JsonPropertyName("type")] public string Type { get; init; } = "build";
    [JsonPropertyName("source")] public string Source { get; init; } = "igor";
}
