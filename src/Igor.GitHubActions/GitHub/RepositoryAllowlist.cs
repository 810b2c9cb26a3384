namespace Igor.GitHubActions.GitHub;

/// <summary>
/// A master's repository allowlist, the one rule for every feature: an entry is <c>owner/name</c> or <c>owner/*</c>,
/// compared without case (GitHub's names are case-insensitive). An <c>owner/*</c> entry admits the repositories of that
/// owner the App's installation has; <see cref="Names"/> answers from the entries alone, <see cref="AdmitsAsync"/> also
/// asks the installation for a wildcard match.
/// </summary>
internal sealed class RepositoryAllowlist
{
    private readonly HashSet<string> _repositories;
    private readonly HashSet<string> _owners;

    public RepositoryAllowlist(IEnumerable<string> entries)
    {
        Entries = entries.ToArray();
        _owners = new HashSet<string>(Entries.Where(e => e.EndsWith("/*", StringComparison.Ordinal)).Select(e => e[..^2]), StringComparer.OrdinalIgnoreCase);
        _repositories = new HashSet<string>(Entries.Where(e => !e.EndsWith("/*", StringComparison.Ordinal)), StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Entries { get; }

    /// <summary>The repositories named one by one.</summary>
    public IEnumerable<string> Repositories => _repositories;

    /// <summary>The owners named by an <c>owner/*</c> entry.</summary>
    public IEnumerable<string> Owners => _owners;

    /// <summary>Whether an entry names the repository, exactly or by its owner's wildcard (what a webhook from the installation needs).</summary>
    public bool Names(string owner, string repository) =>
        _repositories.Contains($"{owner}/{repository}") || _owners.Contains(owner);

    /// <summary>
    /// Whether the master may act on the repository: named exactly, or by its owner's wildcard and among the repositories
    /// the installation has (<paramref name="installed"/>, cached by the client).
    /// </summary>
    public async Task<bool> AdmitsAsync(
        string owner, string repository, Func<CancellationToken, Task<IReadOnlyList<string>>> installed, CancellationToken cancellationToken)
    {
        if (_repositories.Contains($"{owner}/{repository}"))
        {
            return true;
        }

        if (!_owners.Contains(owner))
        {
            return false;
        }

        var repositories = await installed(cancellationToken).ConfigureAwait(false);
        return repositories.Contains($"{owner}/{repository}", StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Splits <c>owner/name</c>; false for anything else (no slash, two slashes, an empty part).</summary>
    public static bool TrySplit(string fullName, out string owner, out string repository)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash != fullName.LastIndexOf('/') || slash == fullName.Length - 1)
        {
            owner = repository = "";
            return false;
        }

        owner = fullName[..slash];
        repository = fullName[(slash + 1)..];
        return true;
    }
}
