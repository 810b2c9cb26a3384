namespace Igor.GitHubActions.Igor.Queue;

/// <summary>
/// Queue ids are never issued twice, even by a store found empty (a Redis restarted without persistence, a deleted
/// SQLite file): each id is the larger of the last one plus one and the time of its creation in milliseconds, so a new
/// store's first id is later than every id an earlier store issued (unless that one issued more than a thousand a second
/// right before it was lost). Orca would otherwise follow another job's build under a reissued id.
/// </summary>
internal static class QueueIds
{
    /// <summary>The least id an item created at <paramref name="createdAt"/> may get.</summary>
    public static long Floor(DateTimeOffset createdAt) => createdAt.ToUnixTimeMilliseconds();
}
