using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Security;

/// <summary>One resource of a Fiat permission view: its name and the authorizations the user has on it.</summary>
internal sealed class FiatResourcePermission
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("authorizations")]
    public List<string>? Authorizations { get; set; }
}
