using System.Text.Json;
using global::Igor.GitHubActions.Igor.Queue;
using global::Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;
using StackExchange.Redis;

namespace Igor.GitHubActions.Tests.State.Contracts;

/// <summary>The store contract on the Redis adapter, against a real redis-server on loopback.</summary>
public sealed class RedisStateStoreContractTests : StateStoreContract
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    [OneTimeSetUp]
    public async Task StartRedis()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
    }

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private protected override Task<IStateStore> CreateStoreAsync() =>
        Task.FromResult<IStateStore>(new RedisStateStore(_connection, $"test-{Guid.NewGuid():N}:"));

    [Test]
    public async Task Prune_ItemsClosedBeforeRetentionExisted_AreIndexedOnce_AndGoWithTheirTime()
    {
        var prefix = $"test-{Guid.NewGuid():N}:";
        var db = _connection.GetDatabase();
        var created = new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.Zero);
        QueueItem Item(long id, QueueItemState state, DateTimeOffset at) => new()
        {
            Id = id, IdempotencyKey = $"old-{id}", Master = "m", Job = "acme/api/deploy.yml", State = state, DispatchId = $"spn-{id}", CreatedAt = at,
        };

        // As a release before retention left them: closed items in no index (a hash, and the older string form), an
        // open one, and a closed one too recent to go.
        await db.HashSetAsync($"{prefix}queue:rec:1", [new("json", JsonSerializer.Serialize(Item(1, QueueItemState.Resolved, created))), new("version", 3), new("cancel", "0")]);
        await db.StringSetAsync($"{prefix}queue:item:2", JsonSerializer.Serialize(Item(2, QueueItemState.Failed, created)));
        await db.HashSetAsync($"{prefix}queue:rec:3", [new("json", JsonSerializer.Serialize(Item(3, QueueItemState.Sending, created))), new("version", 2), new("cancel", "0")]);
        await db.SetAddAsync($"{prefix}queue:open", 3);
        await db.HashSetAsync($"{prefix}queue:rec:4", [new("json", JsonSerializer.Serialize(Item(4, QueueItemState.Resolved, created.AddDays(20)))), new("version", 2), new("cancel", "0")]);
        foreach (var id in new[] { 1, 2, 3, 4 })
        {
            await db.StringSetAsync($"{prefix}queue:key:old-{id}", id);
        }

        var store = new RedisStateStore(_connection, prefix);
        var result = await store.PruneAsync(new PrunePolicy(created.AddDays(10), created.AddDays(10)), CancellationToken.None);

        result.QueueItems.Should().Be(2);
        (await store.QueueItems.GetAsync(1, CancellationToken.None)).Should().BeNull();
        (await store.QueueItems.GetAsync(2, CancellationToken.None)).Should().BeNull();
        (await db.KeyExistsAsync($"{prefix}queue:key:old-2")).Should().BeFalse("the older string form's idempotency key goes with it");
        (await store.QueueItems.GetAsync(3, CancellationToken.None))!.State.Should().Be(QueueItemState.Sending, "a live item is never pruned");
        (await store.QueueItems.GetAsync(4, CancellationToken.None)).Should().NotBeNull("it is not old enough yet");
        (await db.SortedSetScoreAsync($"{prefix}queue:closed", 4)).Should().Be(created.AddDays(20).ToUnixTimeMilliseconds(), "it is indexed by when it was created");
    }

    [Test]
    public async Task Ttls_FollowTheRetention_DeliveryIdsStayAtLeastThreeDays()
    {
        var prefix = $"test-{Guid.NewGuid():N}:";
        var store = new RedisStateStore(_connection, prefix, TimeSpan.FromHours(2));
        var now = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
        await store.Snapshots.SaveRunSnapshotAsync(new RunSnapshot(42, "{}", 1, 1, now, now), CancellationToken.None);
        await store.DeploymentLinks.LinkDeploymentAsync(new DeploymentLink("e1", "acme/api", 7, "app", "deploy", now, "production"), CancellationToken.None);
        await store.Deliveries.EnqueueAsync(Delivery("d1", "workflow_run", "{}", now), CancellationToken.None);
        var claimed = (await store.Deliveries.ClaimAsync(1, TimeSpan.FromMinutes(1), now, CancellationToken.None)).Single();
        await store.Deliveries.CompleteAsync(claimed, "processed", null, now, CancellationToken.None);
        var db = _connection.GetDatabase();

        (await db.KeyTimeToLiveAsync($"{prefix}runsnap:42")).Should().BeCloseTo(TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));
        (await db.KeyTimeToLiveAsync($"{prefix}deplink:e1")).Should().BeCloseTo(TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));
        (await db.KeyTimeToLiveAsync($"{prefix}inbox:key:d1")).Should().BeCloseTo(TimeSpan.FromDays(3), TimeSpan.FromMinutes(1), "GitHub may redeliver for three days");
        (await db.KeyExistsAsync($"{prefix}inbox:msg:{claimed.Sequence}")).Should().BeFalse("a processed delivery's body goes at once");
    }
}
