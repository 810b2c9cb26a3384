using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts;

/// <summary>The JSON error body; Orca surfaces <c>message</c> and <c>error</c> in the stage.</summary>
public sealed record ErrorResponse
{
    [JsonPropertyName("status")] public required int Status { get; init; }
    [JsonPropertyName("error")] public required string Error { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}
