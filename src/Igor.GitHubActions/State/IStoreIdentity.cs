namespace Igor.GitHubActions.State;

/// <summary>Who the store is: written once when the store is first used, so a store found empty or replaced is noticed.</summary>
/// <param name="Id">A random id given when the store was created.</param>
/// <param name="CreatedAt">When the service first started on this store.</param>
internal sealed record StoreIdentity(string Id, DateTimeOffset CreatedAt);

/// <summary>The store's identity, created atomically by whichever replica reads it first.</summary>
internal interface IStoreIdentity
{
    /// <summary>The identity the store holds, or <paramref name="candidate"/> written now when it holds none (first start, or a store found empty).</summary>
    Task<StoreIdentity> GetOrCreateIdentityAsync(StoreIdentity candidate, CancellationToken cancellationToken);
}
