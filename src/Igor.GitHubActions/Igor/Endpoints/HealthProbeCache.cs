using Igor.GitHubActions.GitHub.Client;

namespace Igor.GitHubActions.Igor.Endpoints;

/// <summary>Keeps the last health probe for a few seconds and shares one probe between concurrent checks.</summary>
internal sealed class HealthProbeCache(TimeProvider time)
{
    private readonly SharedCache<Dictionary<string, string?>> _cache = new(time, () => TimeSpan.FromSeconds(15));

    public ValueTask<Dictionary<string, string?>> GetAsync(Func<CancellationToken, Task<Dictionary<string, string?>>> probe, CancellationToken cancellationToken) =>
        _cache.GetAsync("health", probe, cancellationToken);
}
