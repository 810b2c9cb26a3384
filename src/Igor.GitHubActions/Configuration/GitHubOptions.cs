using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Configuration;

/// <summary>The <c>GitHub</c> configuration section.</summary>
internal sealed class GitHubOptions
{
    public const string SectionName = "GitHub";

    /// <summary>The GitHub App webhook secret; required by the webhook endpoint.</summary>
    public string? WebhookSecret { get; set; }

    [ValidateEnumeratedItems]
    public List<MasterOptions> Masters { get; set; } = [];

    /// <summary>How long workflow listings and parsed workflow files are served without asking GitHub.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WorkflowCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The <c>X-GitHub-Api-Version</c> sent on every request.</summary>
    [Required]
    public string ApiVersion { get; set; } = "2022-11-28";

    /// <summary>Renew an installation token this long before it expires.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:30:00")]
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The end-to-end time one GitHub request may take, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a run's state read from GitHub answers status polls before it is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dispatch may stay without a run carrying its dispatch id before it is failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan CorrelationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after a dispatch whose answer was lost (5xx, timeout, crash) GitHub must have shown no run for it before
    /// it is sent again. Shorter risks a second run when GitHub lists runs late; longer delays a stage whose POST never arrived.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DispatchRecoveryGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long after a run completes GitHub may still be adding its artifacts to the listing: in that time an empty
    /// listing is not kept, and a property file not found yet is a 503 (Orca retries) rather than "no properties".
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ArtifactSettleTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a cancelled run may keep running before it is force-cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often open queue items are resolved and pending cancels carried out in the background.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Webhook bodies larger than this are refused with 413 (GitHub sends at most 25 MB).</summary>
    [Range(1024, 26_214_400)]
    public int WebhookMaxBytes { get; set; } = 26_214_400;

    /// <summary>How often failed webhook deliveries are redelivered and recent runs reconciled with the events sent; zero turns it off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ReconciliationInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back reconciliation looks; bounded so a first start does not replay history to Echo.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3.00:00:00")]
    public TimeSpan ReconciliationLookBack { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How far back failed webhook deliveries are asked for again (GitHub keeps them 3 days, 7 on GHES).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RedeliveryLookBack { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A run's webhook-fed state answers polls without asking GitHub while it is younger than this (or final).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WebhookFreshness { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Requests of an installation's hourly limit kept for builds: below it (or 10% of the limit) optional work waits.</summary>
    [Range(0, 100_000)]
    public int RateLimitReserve { get; set; } = 500;

    /// <summary>
    /// The least time between two content-creating requests (POST, PATCH, PUT, DELETE) of one installation: GitHub asks
    /// for at least a second (https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ContentRequestSpacing { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>With a webhook secret set, how long a dispatched run waits for its "requested" webhook before GitHub is asked.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan WebhookGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest artifact zip downloaded to look for a property file (100 MB by default).</summary>
    [Range(1L, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Bytes of GitHub answers kept per master for conditional requests (ETags); the least recently used go first.</summary>
    [Range(1L * 1024 * 1024, 4L * 1024 * 1024 * 1024)]
    public long ResponseCacheBytes { get; set; } = 32L * 1024 * 1024;
}
