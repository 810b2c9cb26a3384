using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.GitHub;

/// <summary>The masters' GitHub side, keyed by master name, for features that are GitHub's alone (webhooks, deployments, logs).</summary>
internal sealed class GitHubMasters(IReadOnlyList<GitHubMaster> masters)
{
    private readonly Dictionary<string, GitHubMaster> _byName = masters.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public IReadOnlyList<GitHubMaster> All => masters;

    public bool TryGet(string name, out GitHubMaster master) => _byName.TryGetValue(name, out master!);

    /// <summary>The master, or a 404 naming the masters there are.</summary>
    public GitHubMaster Get(string name) =>
        TryGet(name, out var master)
            ? master
            : throw IgorException.NotFound($"no build master named '{name}' (masters: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))})");

    /// <summary>The masters whose allowlist names the repository (an exact <c>owner/name</c> or <c>owner/*</c>).</summary>
    public IEnumerable<GitHubMaster> Allowing(string owner, string repository) =>
        masters.Where(m => m.Allowlist.Names(owner, repository));
}
