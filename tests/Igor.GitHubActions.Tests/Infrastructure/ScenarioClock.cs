namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// One clock for a scenario's simulated GitHub and its service: the system clock, moved forward by
/// <see cref="Advance"/>. Both sides read it, so a test makes time pass (an outage that lasts minutes) without waiting,
/// and GitHub's timestamps and the service's stay consistent. Timers and timestamps stay the system's, so nothing that
/// waits on a timer stalls.
/// </summary>
public sealed class ScenarioClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward (never back: a clock going back is not what either side ever sees).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
