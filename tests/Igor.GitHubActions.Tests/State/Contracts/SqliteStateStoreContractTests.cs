using global::Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.State.Contracts;

/// <summary>The store contract on the embedded SQLite adapter, each test on a new file.</summary>
public sealed class SqliteStateStoreContractTests : StateStoreContract
{
    private protected override Task<IStateStore> CreateStoreAsync() =>
        Task.FromResult<IStateStore>(new SqliteStateStore(Path.Combine(TestPaths.NewScratchDirectory(), "store.db")));

    [Test]
    public void EveryConnection_CommitsToDisk_SynchronousFull()
    {
        // PRAGMA synchronous is a setting of each connection: set on the first only, an acknowledged write on another
        // pooled connection could be lost with the power (WAL with NORMAL). FULL is 2.
        var store = new SqliteStateStore(Path.Combine(TestPaths.NewScratchDirectory(), "store.db"));

        store.SynchronousOfConnections(6).Should().Equal(2, 2, 2, 2, 2, 2);
    }

    [Test]
    public async Task Prune_DeliveryBodiesGo_TheirIdsStayForDedupe_AndTheFileShrinks()
    {
        var store = new SqliteStateStore(Path.Combine(TestPaths.NewScratchDirectory(), "store.db"));
        var body = "{\"pad\":\"" + new string('x', 100 * 1024) + "\"}";
        var received = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 200; i++)
        {
            await store.Deliveries.EnqueueAsync(Delivery($"d{i}", "workflow_run", body, received), CancellationToken.None);
            var claimed = (await store.Deliveries.ClaimAsync(1, TimeSpan.FromMinutes(1), received, CancellationToken.None)).Single();
            await store.Deliveries.CompleteAsync(claimed, "processed", null, received, CancellationToken.None);
        }

        await store.Deliveries.EnqueueAsync(Delivery("pending", "workflow_run", body, received), CancellationToken.None);
        var before = store.FileBytes();

        var result = await store.PruneAsync(new PrunePolicy(received.AddDays(1), received.AddDays(-1)), CancellationToken.None);
        var after = store.FileBytes();
        result.DeliveryBodies.Should().Be(200, "a processed delivery's body is no longer needed; the unprocessed one is kept");
        result.Deliveries.Should().Be(0, "ids are kept while GitHub may redeliver");
        (await store.Deliveries.ContainsAsync("d7", CancellationToken.None)).Should().BeTrue();
        (await store.Deliveries.ClaimAsync(10, TimeSpan.FromMinutes(1), received, CancellationToken.None)).Single().Payload.Body.Should().Be(body);
        after.Should().BeLessThan(before / 2, "the freed pages are given back to the file system (incremental vacuum): {0} → {1} bytes", before, after);
    }
}
