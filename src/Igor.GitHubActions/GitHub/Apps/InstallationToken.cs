namespace Igor.GitHubActions.GitHub.Apps;

/// <summary>An installation access token; its length is not assumed (GitHub's stateless tokens are long).</summary>
internal sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"installation token expiring {ExpiresAt:O}";
}
