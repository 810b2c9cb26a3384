namespace Igor.GitHubActions.Operations;

/// <summary>
/// A batch of work items claimed together under one lease. Once the lease runs out another replica (or this one after a
/// restart) may claim the same items, so an item is started only while there is time left to finish it, and none once
/// the worker is stopping; the rest are given back (the queue's release, which checks the claim) for any worker to
/// claim at once. The item in hand is always finished: its work runs without the stopping token.
/// </summary>
internal readonly struct LeasedBatch(TimeProvider time, DateTimeOffset leaseUntil)
{
    public static LeasedBatch Claimed(TimeProvider time, DateTimeOffset claimedAt, TimeSpan lease) => new(time, claimedAt + lease);

    /// <summary>Whether an item that may take up to <paramref name="budget"/> still finishes within the lease.</summary>
    public bool HasTimeFor(TimeSpan budget) => time.GetUtcNow() + budget <= leaseUntil;

    /// <summary>
    /// Works through <paramref name="items"/> in order, each allowed up to <paramref name="budget"/>; returns how many
    /// <paramref name="work"/> counted as done, and how many were given back unstarted.
    /// </summary>
    public async Task<(int Done, int GivenBack)> RunAsync<T>(
        IReadOnlyList<T> items, TimeSpan budget, Func<IReadOnlyList<T>, CancellationToken, Task> release, Func<T, Task<bool>> work,
        CancellationToken stopping)
    {
        var done = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (stopping.IsCancellationRequested || !HasTimeFor(budget))
            {
                await release(items.Skip(i).ToArray(), CancellationToken.None).ConfigureAwait(false);
                return (done, items.Count - i);
            }

            if (await work(items[i]).ConfigureAwait(false))
            {
                done++;
            }
        }

        return (done, 0);
    }
}
