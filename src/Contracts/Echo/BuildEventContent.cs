using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Echo;

/// <summary>The master and the project (job) with its last build, as Igor's GenericBuildContent.</summary>
public sealed record BuildEventContent
{
    [JsonPropertyName("master")] public required string Master { get; init; }
    [JsonPropertyName("project")] public required BuildEventProject Project { get; init; }
    [JsonPropertyName("type")] public string Type { get; init; } = "github-actions";
}
