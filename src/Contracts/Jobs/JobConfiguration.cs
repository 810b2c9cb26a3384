using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Jobs;

/// <summary>Igor's job configuration (Jenkins JobConfig shape), from which Deck renders the parameter form.</summary>
public sealed record JobConfiguration
{
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("displayName")] public required string DisplayName { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("buildable")] public required bool Buildable { get; init; }
    [JsonPropertyName("color")] public string Color { get; init; } = "blue";
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("concurrentBuild")] public bool ConcurrentBuild { get; init; } = true;
    [JsonPropertyName("parameterDefinitionList")] public required IReadOnlyList<ParameterDefinition> ParameterDefinitionList { get; init; }
}
