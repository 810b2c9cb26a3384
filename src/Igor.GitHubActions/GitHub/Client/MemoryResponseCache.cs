using System.Net;
using Octokit.Caching;
using Octokit.Internal;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// Keeps successful GET responses that carry an ETag, so Octokit's <see cref="CachingHttpClient"/> can ask again with
/// If-None-Match; GitHub's 304 answers do not count against the rate limit. Bounded in bytes (one budget per master,
/// least recently used out first), and keyed by what a request asks for (endpoint, parameters, Accept), so a key repeats:
/// a listing bounded by a moment (<c>created=&gt;=…</c>) never asks the same again and is not kept.
/// </summary>
internal sealed class MemoryResponseCache(long budgetBytes) : IResponseCache
{
    /// <summary>What an entry costs besides its body (headers, key, bookkeeping), a rough allowance.</summary>
    private const long EntryOverhead = 512;

    private readonly Lock _sync = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, CachedResponse.V1 Response, long Bytes)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, CachedResponse.V1 Response, long Bytes)> _recency = new();
    private long _bytes;

    /// <summary>What the kept entries cost, in bytes (estimated).</summary>
    public long Bytes
    {
        get
        {
            lock (_sync)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _entries.Count;
            }
        }
    }

    public Task<CachedResponse.V1> GetAsync(IRequest request)
    {
        lock (_sync)
        {
            if (!_entries.TryGetValue(Key(request), out var node))
            {
                return Task.FromResult<CachedResponse.V1>(null!);
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return Task.FromResult(node.Value.Response);
        }
    }

    public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
    {
        var bytes = cachedResponse.Body switch
        {
            string text => (long)text.Length * sizeof(char),
            byte[] data => data.LongLength,
            _ => long.MaxValue,
        };
        if (cachedResponse.StatusCode != HttpStatusCode.OK || string.IsNullOrEmpty(cachedResponse.ApiInfo?.Etag) || bytes > budgetBytes / 4 ||
            request.Parameters.ContainsKey("created"))
        {
            return Task.CompletedTask;
        }

        var key = Key(request);
        var cost = bytes + EntryOverhead + (key.Length * sizeof(char));
        lock (_sync)
        {
            if (_entries.Remove(key, out var old))
            {
                _recency.Remove(old);
                _bytes -= old.Value.Bytes;
            }

            while (_bytes + cost > budgetBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Bytes;
            }

            _entries[key] = _recency.AddFirst((key, cachedResponse, cost));
            _bytes += cost;
        }

        return Task.CompletedTask;
    }

    private static string Key(IRequest request)
    {
        var query = string.Join('&', request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var accept = request.Headers.TryGetValue("Accept", out var value) ? value : "";
        return $"{request.Endpoint}?{query}#{accept}";
    }
}
