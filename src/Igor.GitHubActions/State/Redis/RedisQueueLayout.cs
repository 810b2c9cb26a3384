using System.Text.Json;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>
/// Where an <see cref="RedisLeasedQueue{T}"/> keeps its items, all under <c>{prefix}{Name}:</c>: <c>seq</c> (the counter),
/// <c>key:{key}</c> (the once-only marker, kept for the retention), <c>msg:{seq}</c> (the item's hash),
/// <c>{GroupKeys}{group}</c> (a group's pending items in order), <c>free</c> (the pending items of no group, in order),
/// <c>groups</c> and <c>pending</c> (what a claim looks at),
/// <c>final:{group}</c> (the version a final item closed the group at), <c>all:{group}</c> (every item of a group, when
/// done items are kept), <c>dead</c> and <c>dead:{seq}</c> (items moved aside).
/// </summary>
/// <param name="Name">The queue's key segment.</param>
/// <param name="PayloadFields">The item hash's fields that hold the payload, in the order <paramref name="Values"/> gives and <paramref name="Read"/> reads them.</param>
/// <param name="Values">The payload's field values.</param>
/// <param name="Read">The payload from its field values (a field a release before did not write is null).</param>
internal sealed record RedisQueueLayout<T>(string Name, IReadOnlyList<string> PayloadFields, Func<NewLeasedItem<T>, RedisValue[]> Values, Func<RedisValue[], T> Read)
{
    /// <summary>The key segment of a group's pending items.</summary>
    public string GroupKeys { get; init; } = "group:";

    /// <summary>Whether a done item stays (listed with its group) until the retention; otherwise only its key marker does.</summary>
    public bool KeepsDone { get; init; }

    /// <summary>
    /// Where a release before marked the keys it took (<c>{prefix}{OlderKeyMarkers}{key}</c>): such a key is taken here too,
    /// so what that release accepted is not added again.
    /// </summary>
    public string? OlderKeyMarkers { get; init; }

    /// <summary>The key of an item a release before wrote without a <c>key</c> field, from its payload fields.</summary>
    public Func<RedisValue[], string>? KeyOfOlderItems { get; init; }
}

/// <summary>
/// The layouts of the store's leased queues. Each is the one its queue had before the common queue, field for field, so
/// a store written by the release before is read as it is, and replicas of both releases can share it during a rolling
/// upgrade.
/// </summary>
internal static class RedisQueueLayouts
{
    /// <summary>New with the common queue: the release before kept deliveries apart (see <see cref="RedisDeliveryInbox"/>).</summary>
    public static readonly RedisQueueLayout<WebhookPayload> Deliveries = new(
        "inbox", ["event", "received_at", "body"],
        d => [d.Payload.Event, RedisDatabase.Millis(d.Payload.ReceivedAt), d.Payload.Body],
        values => new WebhookPayload((string?)values[0] ?? "", RedisDatabase.FromMillis((long)values[1]), (string?)values[2] ?? ""))
    {
        OlderKeyMarkers = "delivery:",
    };

    public static readonly RedisQueueLayout<EchoMessage> EchoOutbox = new(
        "outbox", ["path", "body"],
        m => [m.Payload.Path, m.Payload.Body],
        values => new EchoMessage((string?)values[0] ?? "", (string?)values[1] ?? ""));

    /// <summary>A status is one JSON field, in the shape the release before wrote and read (it needs every required member).</summary>
    public static readonly RedisQueueLayout<DeploymentStatusWrite> DeploymentStatuses = new(
        "depstatus", ["json"],
        s => [JsonSerializer.Serialize(new StoredStatus(s.Payload.Repository, s.Payload.DeploymentId, s.Payload.State, s.Payload.Body)
        {
            Key = s.Key, Group = s.Group, Final = s.Final, EventTime = s.Version, NextAttemptAt = s.DueAt,
        })],
        values =>
        {
            var stored = JsonSerializer.Deserialize<StoredStatus>((string)values[0]!)!;
            return new DeploymentStatusWrite(stored.Repository, stored.DeploymentId, stored.State, stored.Body);
        })
    {
        GroupKeys = "pending:",
        KeepsDone = true,
        KeyOfOlderItems = KeyOf,
    };

    /// <summary>The release before read its items back from this JSON, the key and group included (it finishes an item by its group).</summary>
    private sealed record StoredStatus(string Repository, long DeploymentId, string State, string Body)
    {
        public string Key { get; init; } = "";

        public string Group { get; init; } = "";

        public bool Final { get; init; }

        public long EventTime { get; init; }

        public DateTimeOffset NextAttemptAt { get; init; }
    }

    /// <summary>The key of a status written by the release before, which kept it only in the JSON.</summary>
    public static string KeyOf(RedisValue[] values) => JsonSerializer.Deserialize<StoredStatus>((string)values[0]!)!.Key;
}
