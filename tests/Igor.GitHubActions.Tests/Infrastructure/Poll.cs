namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// Waits for state that raises no signal of its own (a count in the store, a log line, a counter of a stand-in server),
/// checking it often and failing with a clear message after a bound.
/// </summary>
public static class Poll
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null) => UntilAsync(() => Task.FromResult(condition()), timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > limit)
            {
                throw new TimeoutException($"the condition did not become true in {limit.TotalSeconds:0} s");
            }

            // [CancelAfter] on the fixture cancels the test's token: a wait stops there instead of running on.
            await Task.Delay(20, TestContext.CurrentContext.CancellationToken);
        }
    }
}
