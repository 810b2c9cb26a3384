using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests;

/// <summary>The whole run: at its end, how many services it started, the figure that sets the suite's time.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public void Report() => TestContext.Progress.WriteLine($"service start-ups: {IgorServiceHost.Starts}");
}
