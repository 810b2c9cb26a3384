using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Security;

/// <summary>The part of Fiat's UserPermission.View the service reads.</summary>
internal sealed class FiatUserPermission
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("admin")]
    public bool Admin { get; set; }

    [JsonPropertyName("buildServices")]
    public List<FiatResourcePermission>? BuildServices { get; set; }

    /// <summary>Whether the user holds <paramref name="authorization"/> (READ, WRITE) on the build service.</summary>
    public bool Allows(string master, string authorization) =>
        Admin || (BuildServices ?? []).Any(s =>
            string.Equals(s.Name, master, StringComparison.OrdinalIgnoreCase) &&
            (s.Authorizations ?? []).Contains(authorization, StringComparer.OrdinalIgnoreCase));
}
