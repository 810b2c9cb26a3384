namespace Igor.GitHubActions.Igor;

/// <summary>The masters by name (Igor's BuildServices).</summary>
internal sealed class BuildServiceRegistry(IEnumerable<IBuildService> services)
{
    private readonly Dictionary<string, IBuildService> _services = services.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<IBuildService> All => _services.Values;

    public IEnumerable<string> Names => _services.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string master, out IBuildService service) => _services.TryGetValue(master, out service!);

    /// <summary>The master, or a 404 naming the masters there are.</summary>
    public IBuildService Get(string master) =>
        TryGet(master, out var service)
            ? service
            : throw IgorException.NotFound($"no build master named '{master}' (masters: {string.Join(", ", Names)})");
}
