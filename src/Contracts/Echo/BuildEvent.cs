using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Contracts.Echo;

/// <summary>Igor's build event, posted to Echo's <c>POST /</c>; Echo's BuildEventHandler fires Jenkins-type triggers from it.</summary>
public sealed record BuildEvent
{
    [JsonPropertyName("details")] public required BuildEventDetails Details { get; init; }
    [JsonPropertyName("content")] public required BuildEventContent Content { get; init; }
}
