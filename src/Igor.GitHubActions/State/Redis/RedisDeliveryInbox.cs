using System.Globalization;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>
/// The webhook inbox on Redis: a <see cref="RedisLeasedQueue{T}"/> of deliveries, which also honours what the release
/// before the common queue wrote. That release kept a delivery as <c>delivery:{id}</c> (its id marker for three days)
/// with the pending ones in <c>deliveries:pending</c>; during a rolling upgrade its replicas still do. An id it accepted
/// is a redelivery here too (the layout's <see cref="RedisQueueLayout{T}.OlderKeyMarkers"/>), and before each claim its
/// pending deliveries are taken over into the queue, due when its claim on them (if any) runs out. A delivery both releases accepted is at worst processed twice, which emits
/// nothing twice (the outbox keys its events).
/// </summary>
internal sealed class RedisDeliveryInbox(RedisDatabase db, RedisLeasedQueue<WebhookPayload> queue) : ILeasedQueue<WebhookPayload>
{
    private const int TakeOverBatch = 100;

    public Task<bool> EnqueueAsync(NewLeasedItem<WebhookPayload> item, CancellationToken cancellationToken) => queue.EnqueueAsync(item, cancellationToken);

    public Task<bool> ContainsAsync(string key, CancellationToken cancellationToken) => queue.ContainsAsync(key, cancellationToken);

    public async Task<IReadOnlyList<LeasedItem<WebhookPayload>>> ClaimAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await TakeOverAsync(now).ConfigureAwait(false);
        return await queue.ClaimAsync(max, lease, now, cancellationToken).ConfigureAwait(false);
    }

    public Task ReleaseAsync(IReadOnlyCollection<LeasedItem<WebhookPayload>> claimed, CancellationToken cancellationToken) => queue.ReleaseAsync(claimed, cancellationToken);

    public Task<bool> CompleteAsync(LeasedItem<WebhookPayload> claimed, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken) =>
        queue.CompleteAsync(claimed, outcome, error, now, cancellationToken);

    public Task<bool> RescheduleAsync(LeasedItem<WebhookPayload> claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        queue.RescheduleAsync(claimed, dueAt, error, cancellationToken);

    public Task<bool> DeadLetterAsync(LeasedItem<WebhookPayload> claimed, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        queue.DeadLetterAsync(claimed, reason, now, cancellationToken);

    public Task<IReadOnlyList<LeasedItem<WebhookPayload>>> ListGroupAsync(string group, CancellationToken cancellationToken) => queue.ListGroupAsync(group, cancellationToken);

    public Task<IReadOnlyList<LeasedItem<WebhookPayload>>> ListDeadLettersAsync(int max, CancellationToken cancellationToken) => queue.ListDeadLettersAsync(max, cancellationToken);

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken) =>
        await queue.CountPendingAsync(cancellationToken).ConfigureAwait(false) + (int)await db.Db.SortedSetLengthAsync(db.Key("deliveries:pending")).ConfigureAwait(false);

    /// <summary>
    /// Moves the older release's pending deliveries into the queue. Two replicas doing it at once add each delivery once
    /// (the queue's key marker decides); the older hash then expires with the redelivery window, as it would have there.
    /// </summary>
    private async Task TakeOverAsync(DateTimeOffset now)
    {
        var pending = db.Key("deliveries:pending");
        foreach (var id in await db.Db.SortedSetRangeByRankAsync(pending, 0, TakeOverBatch - 1).ConfigureAwait(false))
        {
            var older = OlderDelivery((string)id!);
            var fields = await db.Db.HashGetAsync(older, ["event", "body", "received_at", "lease_until"]).ConfigureAwait(false);
            if (!fields[0].IsNull)
            {
                var receivedAt = RedisDatabase.FromMillis(long.Parse((string)fields[2]!, CultureInfo.InvariantCulture));
                var heldUntil = fields[3].IsNull ? receivedAt : RedisDatabase.FromMillis((long)fields[3]);
                await queue.EnqueueAsync(
                    new NewLeasedItem<WebhookPayload>((string)id!, "", new WebhookPayload((string)fields[0]!, receivedAt, (string?)fields[1] ?? ""), heldUntil > now ? heldUntil : now),
                    takingOver: true).ConfigureAwait(false);
                await db.Db.KeyExpireAsync(older, db.DeliveryRetention).ConfigureAwait(false);
            }

            await db.Db.SortedSetRemoveAsync(pending, id).ConfigureAwait(false);
        }
    }

    private RedisKey OlderDelivery(string id) => db.Key($"delivery:{id}");
}
