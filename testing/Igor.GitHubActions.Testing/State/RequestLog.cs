namespace Igor.GitHubActions.Testing.State;

/// <summary>Every request received, with waiters that complete when a matching request arrives.</summary>
internal sealed class RequestLog
{
    private readonly Lock _sync = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(Func<RecordedRequest, bool> Predicate, TaskCompletionSource<RecordedRequest> Source)> _waiters = [];

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_sync)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _requests.Clear();
        }
    }

    public void Add(RecordedRequest request)
    {
        lock (_sync)
        {
            _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(request))
                {
                    _waiters[i].Source.TrySetResult(request);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public async Task<RecordedRequest> WaitAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var source = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            var existing = _requests.FirstOrDefault(predicate);
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((predicate, source));
        }

        try
        {
            return await source.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_sync)
            {
                _waiters.RemoveAll(w => w.Source == source);
            }

            throw new TimeoutException($"No matching request was received within {timeout}.");
        }
    }
}
