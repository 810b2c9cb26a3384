using global::Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.State;

/// <summary>The store contract on the embedded SQLite adapter, each test on a new file.</summary>
public sealed class SqliteStateStoreContractTests : StateStoreContract
{
    private protected override Task<IStateStore> CreateStoreAsync() =>
        Task.FromResult<IStateStore>(new SqliteStateStore(Path.Combine(TestPaths.NewScratchDirectory(), "store.db")));
}
