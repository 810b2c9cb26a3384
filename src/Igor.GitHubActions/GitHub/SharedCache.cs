using System.Collections.Concurrent;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// Values fetched from GitHub, served for a fixed time, with one fetch shared by every concurrent caller of
/// the same key (so Deck's typeahead or a burst of polls costs one request). Failures are not cached.
/// </summary>
internal sealed class SharedCache<TValue>(TimeProvider time, Func<TimeSpan> lifetime, int capacity = 10_000)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public async Task<TValue> GetAsync(string key, Func<CancellationToken, Task<TValue>> fetch, CancellationToken cancellationToken)
    {
        Task<TValue> pending;
        var entry = _entries.GetOrAdd(key, static _ => new Entry());
        lock (entry)
        {
            var fresh = entry.Fetch is { IsCompletedSuccessfully: true } && time.GetUtcNow() - entry.At < lifetime();
            if (!fresh && (entry.Fetch is null || entry.Fetch.IsCompleted))
            {
                if (_entries.Count > capacity)
                {
                    _entries.Clear();
                    _entries[key] = entry;
                }

                entry.Fetch = Task.Run(
                    async () =>
                    {
                        var value = await fetch(CancellationToken.None).ConfigureAwait(false);

                        // Fresh from when the answer arrived, so two reads of GitHub are always a full lifetime apart.
                        lock (entry)
                        {
                            entry.At = time.GetUtcNow();
                        }

                        return value;
                    },
                    CancellationToken.None);
            }

            pending = entry.Fetch!;
        }

        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Invalidate(string key) => _entries.TryRemove(key, out _);

    public void Clear() => _entries.Clear();

    private sealed class Entry
    {
        public Task<TValue>? Fetch { get; set; }

        public DateTimeOffset At { get; set; }
    }
}
