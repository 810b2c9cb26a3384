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
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a dispatch may stay without a run carrying its dispatch id before it is failed.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "02:00:00")]
    public TimeSpan CorrelationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a cancelled run may keep running before it is force-cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often open queue items are resolved and pending cancels carried out in the background.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest artifact zip downloaded to look for a property file (100 MB by default).</summary>
    [Range(1L, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 100L * 1024 * 1024;
}
