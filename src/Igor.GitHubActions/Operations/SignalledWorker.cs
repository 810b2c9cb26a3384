using Igor.GitHubActions.Echo;

namespace Igor.GitHubActions.Operations;

/// <summary>
/// A background worker that drains leased work from the store: it runs a pass, and when a pass found nothing it waits
/// for its signal (new work on this replica) or its poll interval (work from other replicas, retries that fall due).
/// A failed pass is logged and tried again after the interval.
/// </summary>
internal abstract partial class SignalledWorker(WorkSignal signal, Func<TimeSpan> interval, ILogger logger) : BackgroundService
{
    /// <summary>Does the work that is due now; returns how many items it finished.</summary>
    internal abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken).ConfigureAwait(false) == 0)
                {
                    await signal.WaitAsync(interval(), stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PassFailed(logger, GetType().Name, e);
                await Task.Delay(interval(), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Worker} failed a pass; retrying")]
        public static partial void PassFailed(ILogger logger, string worker, Exception exception);
    }
}
