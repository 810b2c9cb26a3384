using Octokit;

namespace Igor.GitHubActions.GitHub.Apps;

/// <summary>Supplies Octokit's credentials per request, so installation tokens are renewed transparently.</summary>
internal sealed class DelegateCredentialStore(Func<Task<Credentials>> credentials) : ICredentialStore
{
    public Task<Credentials> GetCredentials() => credentials();
}
