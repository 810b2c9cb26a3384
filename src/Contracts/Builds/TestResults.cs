using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Builds;

/// <summary>Igor's TestResults entry as Deck renders it.</summary>
public sealed record TestResults
{
    [JsonPropertyName("failCount")] public int FailCount { get; init; }
    [JsonPropertyName("skipCount")] public int SkipCount { get; init; }
    [JsonPropertyName("totalCount")] public int TotalCount { get; init; }
    [JsonPropertyName("urlName")] public string? UrlName { get; init; }
}
