namespace Igor.GitHubActions.Testing.State;

/// <summary>An issued installation access token or personal access token.</summary>
internal sealed class TokenRecord
{
    public required string Token { get; init; }

    /// <summary>Null for a personal access token.</summary>
    public SimulatedInstallation? Installation { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Revoked { get; set; }

    /// <summary>Repository names the token is narrowed to, or null for all the installation covers.</summary>
    public HashSet<string>? RepositoryNames { get; init; }

    public required IReadOnlyDictionary<string, string> Permissions { get; init; }

    public required Account Actor { get; init; }

    public bool IsPersonal => Installation is null;
}
