namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// The system clock shifted by an offset: GitHub's clock (the simulator's) ahead of or behind the service's, so a test
/// can make a run finish clearly before or after a moment without waiting for seconds to pass (GitHub's times are
/// whole seconds).
/// </summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
