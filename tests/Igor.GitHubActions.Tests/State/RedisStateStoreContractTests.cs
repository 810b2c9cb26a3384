using global::Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;
using StackExchange.Redis;

namespace Igor.GitHubActions.Tests.State;

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
}
