namespace Igor.GitHubActions.Testing;

/// <summary>An organization team and the repositories it has a role on (<c>pull</c>, <c>triage</c>, <c>push</c>, <c>maintain</c>, <c>admin</c>).</summary>
public sealed class SimulatedTeam
{
    private readonly Dictionary<string, string> _repositories = new(StringComparer.OrdinalIgnoreCase);

    internal SimulatedTeam(string organization, string slug, long id)
    {
        Organization = organization;
        Slug = slug;
        Id = id;
    }

    public string Organization { get; }

    public string Slug { get; }

    public long Id { get; }

    /// <summary>Gives the team a role on the repository (replacing any earlier one).</summary>
    public SimulatedTeam Grant(SimulatedRepository repository, string role)
    {
        lock (_repositories)
        {
            _repositories[repository.FullName] = role;
        }

        return this;
    }

    public void Revoke(SimulatedRepository repository)
    {
        lock (_repositories)
        {
            _repositories.Remove(repository.FullName);
        }
    }

    /// <summary>The team's role on the repository, or null when the team has no access to it.</summary>
    public string? RoleOn(string fullName)
    {
        lock (_repositories)
        {
            return _repositories.GetValueOrDefault(fullName);
        }
    }
}
