using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Jobs;

/// <summary>Jenkins' default parameter value pair.</summary>
public sealed record DefaultParameterValue
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
}
