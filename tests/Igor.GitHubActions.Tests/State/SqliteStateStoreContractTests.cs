using global::Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.State;

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
}
