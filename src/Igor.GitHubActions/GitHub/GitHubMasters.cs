using Igor.GitHubActions.Configuration;

namespace Igor.GitHubActions.GitHub;

/// <summary>One configured master as GitHub sees it: its options and the one client every feature of it uses.</summary>
internal sealed record GitHubMaster(MasterOptions Options, IGitHubActionsClient Client)
{
    public string Name => Options.Name;
}

/// <summary>The masters' GitHub side, for features that are GitHub's alone (webhooks, deployments) rather than Igor's build operations.</summary>
internal sealed class GitHubMasters(IReadOnlyList<GitHubMaster> masters)
{
    public IReadOnlyList<GitHubMaster> All => masters;

    /// <summary>The masters whose allowlist has the repository (an exact <c>owner/name</c> or <c>owner/*</c>).</summary>
    public IEnumerable<GitHubMaster> Allowing(string owner, string repository) =>
        masters.Where(m => m.Options.Repositories.Any(entry =>
            string.Equals(entry, $"{owner}/{repository}", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(entry, $"{owner}/*", StringComparison.OrdinalIgnoreCase)));
}
