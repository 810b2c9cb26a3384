using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Igor.Queue;

/// <summary>
/// Moves open queue items forward in the background, so a run is found and a cancel requested while queued is
/// carried out even when no one polls.
/// </summary>
internal sealed partial class QueueProcessor(
    GitHubMasters masters, IOptions<GitHubOptions> options, TimeProvider time, ILogger<QueueProcessor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.QueuePollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var master in masters.All)
            {
                try
                {
                    await master.Queue.ProcessOpenAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.ProcessingFailed(logger, master.Name, e);
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Queue processing of master {Master} failed; it is tried again on the next tick")]
        public static partial void ProcessingFailed(ILogger logger, string master, Exception exception);
    }
}
