using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Builds;

/// <summary>Igor's GenericGitRevision (JSON key <c>scm</c>); Orca requires name, branch and sha1.</summary>
public sealed record GenericGitRevision
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("branch")] public required string Branch { get; init; }
    [JsonPropertyName("sha1")] public required string Sha1 { get; init; }
    [JsonPropertyName("committer")] public string? Committer { get; init; }
    [JsonPropertyName("compareUrl")] public string? CompareUrl { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("remoteUrl")] public string? RemoteUrl { get; init; }
}
