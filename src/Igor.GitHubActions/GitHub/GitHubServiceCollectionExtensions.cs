using System.Net;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Queue;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Octokit.Internal;
using Polly;
using Polly.Timeout;

namespace Igor.GitHubActions.GitHub;

internal static class GitHubServiceCollectionExtensions
{
    public const string HttpClientName = "GitHub";

    public static IServiceCollection AddGitHubMasters(this IServiceCollection services)
    {
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidator>();
        services.AddSingleton<IValidateOptions<GitHubOptions>, MasterRulesValidator>();
        services.AddOptions<SpinnakerOptions>().BindConfiguration(SpinnakerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SpinnakerOptions>, SpinnakerOptionsValidator>();
        services.AddTransient<GitHubApiVersionHandler>();
        services.AddSingleton<RateLimitTracker>();
        services.AddTransient<RateLimitHandler>();

        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Octokit follows redirects itself and drops the Authorization header when the host changes.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler<GitHubApiVersionHandler>()
            .AddHttpMessageHandler<RateLimitHandler>()
            .AddResilienceHandler("github", ConfigureResilience);

        services.AddHostedService<QueueProcessor>();
        services.AddSingleton<global::Igor.GitHubActions.Logs.LogLinks>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GitHubOptions>>().Value;
            var handlers = sp.GetRequiredService<IHttpMessageHandlerFactory>();
            var clients = sp.GetRequiredService<IHttpClientFactory>();
            var time = sp.GetRequiredService<TimeProvider>();
            var rateLimits = sp.GetRequiredService<RateLimitTracker>();
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var store = sp.GetRequiredService<IStateStore>();
            var items = sp.GetRequiredService<IQueueItems>();
            var links = sp.GetRequiredService<global::Igor.GitHubActions.Logs.LogLinks>();
            return new GitHubMasters(options.Masters.Select(master =>
            {
                var client = new OctokitGitHubActionsClient(
                    master, options, () => new HttpClientAdapter(() => handlers.CreateHandler(HttpClientName)), time, rateLimits,
                    loggers.CreateLogger<OctokitGitHubActionsClient>(), () => clients.CreateClient(HttpClientName));
                return new GitHubMaster(master, options, client, store, items, links, time, rateLimits, loggers);
            }).ToArray());
        });
        services.AddSingleton(sp =>
        {
            var masters = sp.GetRequiredService<GitHubMasters>().All;
            return new BuildServiceRegistry(masters.Select(m => m.Build), masters.Select(m => (IBuildProperties)m.Properties));
        });
        return services;
    }

    /// <summary>
    /// One pipeline for every GitHub call: a total timeout, retries of safe methods only (a dispatch POST is never
    /// repeated blindly) on 5xx, 408 and network errors, and a per-attempt timeout.
    /// </summary>
    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<GitHubOptions>>().Value;
        builder.AddTimeout(options.RequestTimeout);
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(300),
            MaxDelay = TimeSpan.FromSeconds(10),
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context.GetRequestMessage(), args.Outcome)),
        });
        builder.AddTimeout(TimeSpan.FromSeconds(Math.Max(1, options.RequestTimeout.TotalSeconds / 2)));
    }

    private static bool ShouldRetry(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome)
    {
        if (request is null || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
        {
            return false;
        }

        if (outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            return true;
        }

        // Not 429 nor a 403 with Retry-After: those are rate limits, and RateLimitHandler (outside this pipeline) pauses the
        // whole installation for them; a retry here would reach GitHub inside the pause.
        var response = outcome.Result;
        return response is not null && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout);
    }
}
