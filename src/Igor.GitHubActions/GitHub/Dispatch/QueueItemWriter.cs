using Igor.GitHubActions.Igor.Queue;

namespace Igor.GitHubActions.GitHub.Dispatch;

/// <summary>Compare-and-set transitions: a change is re-applied to the newest copy until it lands or no longer applies.</summary>
internal static class QueueItemWriter
{
    private const int MaxConflicts = 20;

    /// <summary>
    /// Applies <paramref name="change"/> (null: the transition no longer applies to this copy) and writes it with the
    /// version it was computed from. Answers the stored item and whether the change landed. Never cancelled half-way:
    /// a transition that GitHub's answer depends on must be recorded whatever the caller does.
    /// </summary>
    public static async Task<(QueueItem Item, bool Applied)> TransitionAsync(IQueueItems items, QueueItem item, Func<QueueItem, QueueItem?> change)
    {
        var current = item;
        for (var conflicts = 0; conflicts < MaxConflicts; conflicts++)
        {
            if (change(current) is not { } next)
            {
                return (current, false);
            }

            if (await items.TryUpdateAsync(next, CancellationToken.None).ConfigureAwait(false) is { } written)
            {
                return (written, true);
            }

            current = await items.GetAsync(item.Id, CancellationToken.None).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"queue item {item.Id} disappeared from the store");
        }

        throw new InvalidOperationException($"queue item {item.Id} was written by others {MaxConflicts} times in a row");
    }
}
