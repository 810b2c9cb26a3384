using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Builds;

/// <summary>Igor's GenericBuild: what Orca, Echo, Gate and Deck read for one build.</summary>
public sealed record GenericBuild
{
    [JsonPropertyName("building")] public required bool Building { get; init; }
    [JsonPropertyName("fullDisplayName")] public required string FullDisplayName { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The workflow's run_number: always 1..int.MaxValue, never the run id.</summary>
    [JsonPropertyName("number")] public required int Number { get; init; }

    [JsonPropertyName("duration")] public long? Duration { get; init; }

    /// <summary>Epoch milliseconds as a digits-only string, as Jenkins sends it.</summary>
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }

    /// <summary>Null while building; one of the four finished results afterwards.</summary>
    [JsonPropertyName("result")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public BuildResult? Result { get; init; }

    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("artifacts")] public IReadOnlyList<GenericArtifact> Artifacts { get; init; } = [];
    [JsonPropertyName("testResults")] public IReadOnlyList<TestResults> TestResults { get; init; } = [];
    [JsonPropertyName("scm")] public IReadOnlyList<GenericGitRevision> Scm { get; init; } = [];
    [JsonPropertyName("properties")] public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}
