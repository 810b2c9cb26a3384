namespace Igor.GitHubActions.Operations;

/// <summary>
/// A batch of work items claimed together under one lease. Once the lease runs out another replica (or this one after a
/// restart) may claim the same items, so an item is started only while there is time left to finish it; the rest stay
/// claimed and fall due again when the lease expires.
/// </summary>
internal readonly struct LeasedBatch(TimeProvider time, DateTimeOffset leaseUntil)
{
    public static LeasedBatch Claimed(TimeProvider time, DateTimeOffset claimedAt, TimeSpan lease) => new(time, claimedAt + lease);

    /// <summary>Whether an item that may take up to <paramref name="budget"/> still finishes within the lease.</summary>
    public bool HasTimeFor(TimeSpan budget) => time.GetUtcNow() + budget <= leaseUntil;
}
