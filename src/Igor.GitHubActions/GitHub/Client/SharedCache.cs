using System.Collections.Concurrent;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// Values fetched from GitHub, served for a fixed time, with one fetch shared by every concurrent caller of
/// the same key (so Deck's typeahead or a burst of polls costs one request). Failures are not cached.
/// A fresh value is served without taking a lock: status polls of one run from many callers never queue on each other.
/// </summary>
internal sealed class SharedCache<TValue>(TimeProvider time, Func<TimeSpan> lifetime, int capacity = 10_000)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask<TValue> GetAsync(string key, Func<CancellationToken, Task<TValue>> fetch, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(key, static _ => new Entry());

        // The answer's time is written before its task completes, so a completed fetch always comes with its own time
        // (or, racing a newer fetch, a newer one: then a value a moment old is served, which is what fresh means).
        if (Volatile.Read(ref entry.Fetch) is { IsCompletedSuccessfully: true } done && IsFresh(Volatile.Read(ref entry.AtTicks)))
        {
            return new ValueTask<TValue>(done.Result);
        }

        return new ValueTask<TValue>(FetchAsync(key, entry, fetch, cancellationToken));
    }

    public void Invalidate(string key) => _entries.TryRemove(key, out _);

    public void Clear() => _entries.Clear();

    private bool IsFresh(long atTicks) => time.GetUtcNow().UtcTicks - atTicks < lifetime().Ticks;

    private async Task<TValue> FetchAsync(string key, Entry entry, Func<CancellationToken, Task<TValue>> fetch, CancellationToken cancellationToken)
    {
        Task<TValue> pending;
        lock (entry)
        {
            var current = entry.Fetch;
            var fresh = current is { IsCompletedSuccessfully: true } && IsFresh(entry.AtTicks);
            if (!fresh && (current is null || current.IsCompleted))
            {
                if (_entries.Count > capacity)
                {
                    _entries.Clear();
                    _entries[key] = entry;
                }

                Volatile.Write(ref entry.Fetch, Task.Run(
                    async () =>
                    {
                        var value = await fetch(CancellationToken.None).ConfigureAwait(false);

                        // Fresh from when the answer arrived, so two reads of GitHub are always a full lifetime apart.
                        Volatile.Write(ref entry.AtTicks, time.GetUtcNow().UtcTicks);
                        return value;
                    },
                    CancellationToken.None));
            }

            pending = entry.Fetch!;
        }

        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class Entry
    {
#pragma warning disable SA1401, CA1051 // Fields, so that Volatile can read and write them.
        public Task<TValue>? Fetch;

        public long AtTicks;
#pragma warning restore SA1401, CA1051
    }
}
