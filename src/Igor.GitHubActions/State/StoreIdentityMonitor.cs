using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.State;

/// <summary>
/// Knows which store this replica works on, and notices when it changes under it: a Redis restarted without
/// persistence or flushed, a SQLite file deleted. The store then holds no identity (or another one): the monitor logs
/// an error, counts it, shows it in <c>/health</c>, and carries on with the new store, whose creation time bounds what
/// reconciliation may replay (nothing from before it).
/// </summary>
internal sealed partial class StoreIdentityMonitor(
    IStoreIdentity store, IOptions<StateOptions> options, TimeProvider time, ILogger<StoreIdentityMonitor> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StoreIdentity? _current;

    /// <summary>The last time the store was found replaced, and what it was before; null while it never was.</summary>
    public StoreReplacement? Replacement { get; private set; }

    /// <summary>The store's identity (read, or created on a first start).</summary>
    public async Task<StoreIdentity> CurrentAsync(CancellationToken cancellationToken) =>
        _current ?? await CheckAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the store's identity and compares it with the one this replica knew.</summary>
    public async Task<StoreIdentity> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var candidate = new StoreIdentity(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), time.GetUtcNow());
            var found = await store.GetOrCreateIdentityAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (_current is { } known && found.Id != known.Id)
            {
                Replacement = new StoreReplacement(time.GetUtcNow(), known, found);
                Operations.IgorMetrics.StoreReplaced.Inc();
                Log.Replaced(logger, known.Id, known.CreatedAt, found.Id, found.CreatedAt);
            }
            else if (_current is null)
            {
                Log.Identified(logger, found.Id, found.CreatedAt, found == candidate);
            }

            _current = found;
            return found;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IdentityCheckInterval, time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The store being unreachable is reported by the calls that need it; this check tries again.
                Log.CheckFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "State store {StoreId}, created {CreatedAt:O} (new: {Created})")]
        public static partial void Identified(ILogger logger, string storeId, DateTimeOffset createdAt, bool created);

        [LoggerMessage(2, LogLevel.Error,
            "The state store was found empty or replaced: it was store {PreviousId} (created {PreviousCreatedAt:O}) and is now {StoreId} (created {CreatedAt:O}). " +
            "Queue items, run history and undelivered events of the old store are lost: builds in flight cannot be followed, and nothing from before now is replayed. " +
            "Give Redis persistence (AOF and a persistent volume) or keep the SQLite file on a volume")]
        public static partial void Replaced(ILogger logger, string previousId, DateTimeOffset previousCreatedAt, string storeId, DateTimeOffset createdAt);

        [LoggerMessage(3, LogLevel.Warning, "The state store's identity could not be checked: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string reason);
    }
}

/// <summary>When a replica found its store replaced, and the identities before and after.</summary>
internal sealed record StoreReplacement(DateTimeOffset At, StoreIdentity Previous, StoreIdentity Current);
