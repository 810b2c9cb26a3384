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
