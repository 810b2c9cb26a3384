using Igor.GitHubActions.Igor;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.PassThrough;

/// <summary>
/// A master name served both here and by the existing Igor is a configuration error: requests for it could only
/// reach one of them. The check runs at start (a clash stops the start; an unreachable Igor is logged, not fatal) and
/// again every <see cref="PassThroughOptions.CheckInterval"/>, since Igor's masters change and Igor may come up later.
/// </summary>
internal sealed partial class MasterClashCheck(
    ExistingIgor igor,
    BuildServiceRegistry registry,
    PassThroughStatus status,
    IOptions<PassThroughOptions> options,
    TimeProvider time,
    ILogger<MasterClashCheck> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var (clashes, problem) = await CheckAsync(cancellationToken).ConfigureAwait(false);
        if (clashes.Count > 0)
        {
            throw new InvalidOperationException(ClashMessage(clashes));
        }

        if (problem is not null)
        {
            Log.UnreachableAtStart(logger, igor.DisplayUrl, problem, options.Value.CheckInterval);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var (clashes, _) = await CheckAsync(stoppingToken).ConfigureAwait(false);
                if (clashes.Count > 0)
                {
                    Log.Clash(logger, ClashMessage(clashes));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<(IReadOnlyList<string> Clashes, string? Problem)> CheckAsync(CancellationToken cancellationToken)
    {
        var answer = await igor.GetAsync("masters", callerHeaders: null, cancellationToken).ConfigureAwait(false);
        var theirs = answer.Strings();
        var problem = theirs is null ? answer.Failure("GET /masters") ?? "the existing Igor's /masters is not a list of names" : null;
        IReadOnlyList<string> clashes = theirs is null ? status.Clashes : theirs.Where(m => registry.TryGet(m, out _)).Order(StringComparer.Ordinal).ToArray();
        status.Record(clashes, problem);
        return (clashes, problem);
    }

    private string ClashMessage(IReadOnlyList<string> clashes) =>
        $"{PassThroughOptions.SectionName}:PassThroughUrl: the master name(s) {string.Join(", ", clashes.Select(c => $"'{c}'"))} " +
        $"are served both by this service (GitHub:Masters) and by the existing Igor at {igor.DisplayUrl}; rename one of them";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The existing Igor at {Url} could not be checked at start ({Problem}); its masters are checked again every {Interval}")]
        public static partial void UnreachableAtStart(ILogger logger, string url, string problem, TimeSpan interval);

        [LoggerMessage(2, LogLevel.Error, "{Message}")]
        public static partial void Clash(ILogger logger, string message);
    }
}
