namespace Igor.GitHubActions.State;

/// <summary>
/// An item of an <see cref="ILeasedQueue{T}"/> as stored: its place (<see cref="Sequence"/>), its once-only
/// <see cref="Key"/>, its <see cref="Group"/>, what it carries, and how its attempts went. A claimed item also carries
/// the claim (<see cref="LeaseUntil"/>): finishing it succeeds only while the item is still held under that claim.
/// </summary>
internal sealed record LeasedItem<T>(long Sequence, string Key, string Group, T Payload)
{
    /// <summary>The outcome of an item moved aside by <see cref="ILeasedQueue{T}.DeadLetterAsync"/>.</summary>
    public const string DeadLettered = "dead-letter";

    public int Attempts { get; init; }

    public DateTimeOffset DueAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>Null while the item is pending; what finished it once done.</summary>
    public string? Outcome { get; init; }

    public DateTimeOffset? DoneAt { get; init; }

    /// <summary>The end of the claim this item was handed out under; null when it was not claimed (a listing).</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}

/// <summary>
/// An item to add to an <see cref="ILeasedQueue{T}"/>, due at <paramref name="DueAt"/>. A <see cref="Final"/> item
/// closes its group at <see cref="Version"/> (e.g. the time of the event it reports): a final item with a version no
/// newer than one already added to the group is stale and refused.
/// </summary>
internal sealed record NewLeasedItem<T>(string Key, string Group, T Payload, DateTimeOffset DueAt)
{
    public bool Final { get; init; }

    public long Version { get; init; }
}
