using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Builds;

/// <summary>The answer to Orca's queue poll: number stays null until the run is known.</summary>
public sealed record QueuedBuild
{
    [JsonPropertyName("number")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Number { get; init; }
}
