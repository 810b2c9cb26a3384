using System.Text.Json.Serialization;
using Igor.GitHubActions.Contracts.Builds;

namespace Igor.GitHubActions.Contracts.Echo;

/// <summary>Igor's GenericProject: Echo matches <c>name</c> with the trigger's job.</summary>
public sealed record BuildEventProject
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("lastBuild")] public required GenericBuild LastBuild { get; init; }
}
