namespace Igor.GitHubActions.Testing.State;

/// <summary>An installation of a simulated App on an account.</summary>
internal sealed class SimulatedInstallation
{
    public required long Id { get; init; }

    public required SimulatedApp App { get; init; }

    public required Account Account { get; init; }

    /// <summary>Empty when <see cref="AllRepositories"/>.</summary>
    public required HashSet<string> RepositoryNames { get; init; }

    public bool AllRepositories => RepositoryNames.Count == 0;

    public string RepositorySelection => AllRepositories ? "all" : "selected";

    public required IReadOnlyDictionary<string, string> Permissions { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public bool Removed { get; set; }

    public bool Covers(SimulatedRepository repository) =>
        !Removed
        && string.Equals(repository.Owner, Account.Login, StringComparison.OrdinalIgnoreCase)
        && (AllRepositories || RepositoryNames.Contains(repository.Name));
}
