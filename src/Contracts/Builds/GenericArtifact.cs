using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Builds;

/// <summary>Igor's GenericArtifact; Orca requires fileName and relativePath on every entry of a trigger's build.</summary>
public sealed record GenericArtifact
{
    [JsonPropertyName("fileName")] public required string FileName { get; init; }
    [JsonPropertyName("displayPath")] public required string DisplayPath { get; init; }
    [JsonPropertyName("relativePath")] public required string RelativePath { get; init; }
    [JsonPropertyName("reference")] public string? Reference { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("metadata")] public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    [JsonPropertyName("decorated")] public bool Decorated { get; init; }
}
