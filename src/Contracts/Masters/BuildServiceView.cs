using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Masters;

/// <summary>One entry of <c>GET /buildServices</c>, read by Fiat.</summary>
public sealed record BuildServiceView
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("buildServiceProvider")] public string BuildServiceProvider { get; init; } = "JENKINS";
    [JsonPropertyName("permissions")] public required IReadOnlyDictionary<string, IReadOnlyList<string>> Permissions { get; init; }
}
