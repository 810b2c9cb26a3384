using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Builds;

/// <summary>Igor's build result vocabulary; Orca ends a stage only on SUCCESS, UNSTABLE, FAILURE or ABORTED.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BuildResult>))]
public enum BuildResult
{
    [JsonStringEnumMemberName("SUCCESS")] Success,
    [JsonStringEnumMemberName("UNSTABLE")] Unstable,
    [JsonStringEnumMemberName("BUILDING")] Building,
    [JsonStringEnumMemberName("ABORTED")] Aborted,
    [JsonStringEnumMemberName("FAILURE")] Failure,
    [JsonStringEnumMemberName("NOT_BUILT")] NotBuilt,
}
