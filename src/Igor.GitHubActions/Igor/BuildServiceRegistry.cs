using Igor.GitHubActions.Igor.Http;
namespace Igor.GitHubActions.Igor;

/// <summary>The masters by name (Igor's BuildServices), each with its build operations and, when it has them, its build properties.</summary>
internal sealed class BuildServiceRegistry(IEnumerable<IBuildService> services, IEnumerable<IBuildProperties>? properties = null)
{
    private readonly Dictionary<string, IBuildService> _services = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, IBuildProperties> _properties = (properties ?? []).ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<IBuildService> All => _services.Values;

    public IEnumerable<string> Names => _services.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string master, out IBuildService service) => _services.TryGetValue(master, out service!);

    /// <summary>The master, or a 404 naming the masters there are.</summary>
    public IBuildService Get(string master) =>
        TryGet(master, out var service)
            ? service
            : throw IgorException.NotFound($"no build master named '{master}' (masters: {string.Join(", ", Names)})");

    /// <summary>The master's build properties, or a 404 (naming the masters when there is no such master).</summary>
    public IBuildProperties GetProperties(string master) =>
        _properties.TryGetValue(master, out var reader)
            ? reader
            : throw IgorException.NotFound(TryGet(master, out _)
                ? $"build master '{master}' has no build properties"
                : $"no build master named '{master}' (masters: {string.Join(", ", Names)})");
}
