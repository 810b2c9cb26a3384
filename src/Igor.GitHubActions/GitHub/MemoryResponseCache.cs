using System.Collections.Concurrent;
using System.Net;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// Keeps small successful GET responses that carry an ETag, so Octokit's <see cref="CachingHttpClient"/> can ask
/// again with If-None-Match; GitHub's 304 answers do not count against the rate limit.
/// </summary>
internal sealed class MemoryResponseCache(int capacity = 2000, int maxBodyCharacters = 1_000_000) : IResponseCache
{
    private readonly ConcurrentDictionary<string, CachedResponse.V1> _entries = new(StringComparer.Ordinal);

    public Task<CachedResponse.V1> GetAsync(IRequest request) =>
        Task.FromResult(_entries.TryGetValue(Key(request), out var response) ? response : null!);

    public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
    {
        var small = cachedResponse.Body switch
        {
            string text => text.Length <= maxBodyCharacters,
            byte[] bytes => bytes.Length <= maxBodyCharacters,
            _ => false,
        };
        if (cachedResponse.StatusCode != HttpStatusCode.OK || string.IsNullOrEmpty(cachedResponse.ApiInfo?.Etag) || !small)
        {
            return Task.CompletedTask;
        }

        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[Key(request)] = cachedResponse;
        return Task.CompletedTask;
    }

    private static string Key(IRequest request)
    {
        var query = string.Join('&', request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var accept = request.Headers.TryGetValue("Accept", out var value) ? value : "";
        return $"{request.Endpoint}?{query}#{accept}";
    }
}
