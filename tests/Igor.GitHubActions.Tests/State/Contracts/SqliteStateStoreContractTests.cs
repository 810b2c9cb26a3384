using global::Igor.GitHubActions.State;
using global::Igor.GitHubActions.State.Sqlite;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

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
    public void Claim_UnderABacklogOfDeliveries_WalksThePendingIndex_SortingNothing()
    {
        var path = Path.Combine(TestPaths.NewScratchDirectory(), "store.db");
        var store = new SqliteStateStore(path);
        IReadOnlyList<string>[] queues =
        [
            ((SqliteLeasedQueue<WebhookPayload>)store.Deliveries).ClaimQueries,
            ((SqliteLeasedQueue<EchoMessage>)store.Outbox).ClaimQueries,
            ((SqliteLeasedQueue<DeploymentStatusWrite>)store.DeploymentStatuses).ClaimQueries,
        ];
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();

        foreach (var queries in queues)
        {
            var ungrouped = Plan(connection, queries[0]);
            ungrouped.Should().Contain("USING INDEX").And.Contain("grp=?").And.NotContain("TEMP B-TREE", "the oldest pending items are read in index order and the walk stops at max");
            Plan(connection, queries[1]).Should().Contain("grp>?", "the heads of groups are a range that skips the ungrouped items");
        }

        static string Plan(SqliteConnection connection, string query)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + query;
            command.Parameters.AddWithValue("$now", 0);
            command.Parameters.AddWithValue("$max", 20);
            using var reader = command.ExecuteReader();
            var plan = new List<string>();
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }

            return string.Join('\n', plan);
        }
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
