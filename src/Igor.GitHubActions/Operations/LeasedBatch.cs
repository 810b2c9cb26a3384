namespace Igor.GitHubActions.Operations;

/// <summary>
/// A batch of work items claimed together under one lease. Once the lease runs out another replica (or this one after a
/// restart) may claim the same items, so an item is started only while there is time left to finish it, and none once
/// the worker is stopping; the rest are given back (<see cref="State.IStateStore.ReleaseClaimsAsync"/>) for any worker
/// to claim at once.
/// </summary>
internal readonly struct LeasedBatch(TimeProvider time, DateTimeOffset leaseUntil)
{
    public static LeasedBatch Claimed(TimeProvider time, DateTimeOffset claimedAt, TimeSpan lease) => new(time, claimedAt + lease);

    /// <summary>The lease the batch was claimed under (what a release must match).</summary>
    public DateTimeOffset LeaseUntil => leaseUntil;

    /// <summary>Whether an item that may take up to <paramref name="budget"/> still finishes within the lease.</summary>
    public bool HasTimeFor(TimeSpan budget) => time.GetUtcNow() + budget <= leaseUntil;
}
