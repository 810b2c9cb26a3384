using Prometheus;

namespace Igor.GitHubActions.Operations;

/// <summary>The service's Prometheus metrics beyond the HTTP ones (<c>/metrics</c>).</summary>
internal static class IgorMetrics
{
    public static readonly Counter GitHubRequests = Metrics.CreateCounter(
        "igor_github_requests_total", "GitHub API requests by master, installation and status code (304s cost no rate limit).",
        new CounterConfiguration { LabelNames = ["master", "installation", "method", "status"] });

    public static readonly Gauge RateLimitRemaining = Metrics.CreateGauge(
        "igor_github_rate_limit_remaining", "GitHub's x-ratelimit-remaining, per master and installation.",
        new GaugeConfiguration { LabelNames = ["master", "installation"] });

    public static readonly Gauge RateLimitLimit = Metrics.CreateGauge(
        "igor_github_rate_limit_limit", "GitHub's x-ratelimit-limit, per master and installation.",
        new GaugeConfiguration { LabelNames = ["master", "installation"] });

    public static readonly Counter SecondaryRateLimits = Metrics.CreateCounter(
        "igor_github_secondary_rate_limits_total", "Secondary rate limits GitHub answered; each pauses the installation for Retry-After (at least 60 s without one).",
        new CounterConfiguration { LabelNames = ["master", "installation"] });

    public static readonly Counter HeldBack = Metrics.CreateCounter(
        "igor_github_requests_held_back_total", "GitHub requests answered by the service without sending, while an installation's rate limit is used up or paused.",
        new CounterConfiguration { LabelNames = ["master", "installation", "limit"] });

    public static readonly Counter DeploymentLoopsStopped = Metrics.CreateCounter(
        "igor_deployment_loops_stopped_total", "Deployments not forwarded to Echo because a pipeline they would trigger made them (a trigger loop).");

    public static readonly Counter StoreReplaced = Metrics.CreateCounter(
        "igor_store_replaced_total", "Times this replica found its state store empty or replaced (a Redis without persistence restarted, a deleted SQLite file).");

    public static readonly Gauge OutboxDepth = Metrics.CreateGauge(
        "igor_outbox_depth", "Messages for Echo not yet accepted.");

    public static readonly Counter DeadLetters = Metrics.CreateCounter(
        "igor_outbox_dead_letters_total", "Messages for Echo moved aside after Echo refused them Echo:MaxAttempts times.");

    public static readonly Histogram WebhookLag = Metrics.CreateHistogram(
        "igor_webhook_lag_seconds", "Time from a webhook delivery's acceptance to the end of its processing.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });

    public static readonly Histogram CorrelationTime = Metrics.CreateHistogram(
        "igor_dispatch_correlation_seconds", "Time from a dispatch to knowing its run and build number.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.05, 2, 14) });
}
