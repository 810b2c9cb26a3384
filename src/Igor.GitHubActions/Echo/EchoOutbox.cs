using System.Text.Json;
using Igor.GitHubActions.Contracts;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Contracts.Echo;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Echo;

/// <summary>Files messages for Echo in the store's outbox (durable, once per key) and wakes the forwarder.</summary>
internal sealed partial class EchoOutbox(ILeasedQueue<EchoMessage> store, [FromKeyedServices(WorkSignal.Outbox)] WorkSignal signal, IOptions<EchoOptions> options, TimeProvider time, ILogger<EchoOutbox> logger)
{
    public bool Enabled => options.Value.BaseUrl is not null;

    /// <summary>
    /// Emits a build event for one run attempt of a job; false when it was emitted before. A skipped run (its jobs did
    /// nothing) is announced as NOT_BUILT, on which Echo fires no Jenkins trigger, unless Echo:SkippedRunsTrigger is on;
    /// Orca's stage that waited for it still reads SUCCESS.
    /// </summary>
    public async Task<bool> EmitBuildAsync(string master, string job, GenericBuild build, string eventKey, bool skipped, CancellationToken cancellationToken)
    {
        if (skipped && !options.Value.SkippedRunsTrigger)
        {
            build = build with { Result = BuildResult.NotBuilt };
        }

        var buildEvent = new BuildEvent
        {
            Details = new BuildEventDetails(),
            Content = new BuildEventContent { Master = master, Project = new BuildEventProject { Name = job, LastBuild = build } },
        };
        return await EnqueueAsync(
            $"build:{master}:{eventKey}", $"{master}:{job}", "/", JsonSerializer.Serialize(buildEvent, IgorJsonContext.Default.BuildEvent), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Emits a webhook trigger to Echo's <c>/webhooks/webhook/{source}</c>.</summary>
    public Task<bool> EmitWebhookAsync(string key, string group, string body, CancellationToken cancellationToken) =>
        EnqueueAsync(key, group, $"/webhooks/webhook/{options.Value.DeploymentSource}", body, cancellationToken);

    public Task<bool> WasEmittedAsync(string master, string eventKey, CancellationToken cancellationToken) =>
        store.ContainsAsync($"build:{master}:{eventKey}", cancellationToken);

    private async Task<bool> EnqueueAsync(string key, string group, string path, string body, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            Log.EchoNotConfigured(logger, key);
            return false;
        }

        var added = await store.EnqueueAsync(
            new NewLeasedItem<EchoMessage>(key, group, new EchoMessage(path, body), time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        if (added)
        {
            Log.Enqueued(logger, key, path);
            signal.Notify();
        }

        return added;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Queued {Key} for Echo {Path}")]
        public static partial void Enqueued(ILogger logger, string key, string path);

        [LoggerMessage(2, LogLevel.Debug, "Echo:BaseUrl is not set; {Key} is not emitted")]
        public static partial void EchoNotConfigured(ILogger logger, string key);
    }
}
