using System.Collections.Concurrent;
using System.Diagnostics;
using Igor.GitHubActions.GitHubSimulator;

namespace Igor.GitHubActions.DemoHost;

/// <summary>Plays GitHub's runners in the demo: queued runs start at once and succeed after a while.</summary>
internal sealed class DemoRunner(IReadOnlyList<SimulatedRepository> repositories, TimeSpan runTime) : IDisposable
{
    private readonly ConcurrentDictionary<long, Stopwatch> _started = new();
    private readonly CancellationTokenSource _stop = new();

    public void Start() => _ = RunAsync();

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            foreach (var run in repositories.SelectMany(r => r.Runs))
            {
                if (run.Status == "queued")
                {
                    run.Start();
                    _started[run.Id] = Stopwatch.StartNew();
                }
                else if (run.Status == "in_progress" && _started.TryGetValue(run.Id, out var clock) && clock.Elapsed > runTime)
                {
                    run.Complete("success");
                }
            }
        }
    }
}
