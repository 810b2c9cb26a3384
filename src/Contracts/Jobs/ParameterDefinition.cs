using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Jobs;

/// <summary>One Jenkins-style parameter definition; Deck picks the control by <see cref="Type"/>.</summary>
public sealed record ParameterDefinition
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = "";

    [JsonPropertyName("defaultValue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DefaultValue { get; init; }

    [JsonPropertyName("defaultName")] public string? DefaultName { get; init; }
    [JsonPropertyName("defaultParameterValue")] public DefaultParameterValue? DefaultParameterValue { get; init; }
    [JsonPropertyName("choices")] public IReadOnlyList<string>? Choices { get; init; }
}
