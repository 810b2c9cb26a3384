using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests;

/// <summary>The whole run: at its end, how many services it started, the figure that sets the suite's time.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public void Report()
    {
        var line = $"service start-ups: {IgorServiceHost.Starts} (most: {string.Join(", ", IgorServiceHost.MostStarts(8).Select(f => $"{f.Key.Split('.')[^1]} {f.Value}"))})";
        TestContext.Progress.WriteLine(line);

        // test.sh prints it before its summary (VSTest shows no output of an assembly's last teardown).
        if (Environment.GetEnvironmentVariable("IGOR_TEST_REPORT") is { Length: > 0 } report)
        {
            File.AppendAllText(report, line + Environment.NewLine);
        }
    }
}
