using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing.Auth;

/// <summary>Who sent a repository request: an installation token, a personal access token, or nobody.</summary>
internal sealed record Caller(TokenRecord? Token, Account Actor)
{
    public SimulatedInstallation? Installation => Token?.Installation;

    public SimulatedApp? App => Installation?.App;
}
