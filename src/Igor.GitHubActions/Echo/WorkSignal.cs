namespace Igor.GitHubActions.Echo;


/// <summary>Wakes a background worker when there is new work, so it need not wait for its next poll.</summary>
internal sealed class WorkSignal : IDisposable
{
    public const string Outbox = "outbox";

    public const string Deliveries = "deliveries";

    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public void Dispose() => _signal.Dispose();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
