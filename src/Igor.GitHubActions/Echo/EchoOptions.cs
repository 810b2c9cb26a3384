using Igor.GitHubActions.Configuration;
using System.ComponentModel.DataAnnotations;
namespace Igor.GitHubActions.Echo;

/// <summary>The <c>Echo</c> section: where build events and webhook triggers go.</summary>
internal sealed class EchoOptions
{
    public const string SectionName = "Echo";

    /// <summary>Echo's base URL; without it, no events are emitted (the service only answers Spinnaker's calls).</summary>
    [HttpUrl(ErrorMessage = "Echo:BaseUrl must be an absolute http(s) URL, e.g. http://spin-echo:8089")]
    public Uri? BaseUrl { get; set; }

    /// <summary>The webhook-trigger source deployments are posted to (<c>/webhooks/webhook/{source}</c>).</summary>
    [Required(ErrorMessage = "Echo:DeploymentSource must be one path segment")]
    [RegularExpression("^[^/]+$", ErrorMessage = "Echo:DeploymentSource must be one path segment")]
    public string DeploymentSource { get; set; } = "github-deployment";

    /// <summary>The first retry delay after Echo refused or was unreachable; doubled per attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the outbox is looked at when nothing signals new messages (other replicas, retries).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Whether a skipped run (conclusion <c>skipped</c>: its jobs' conditions were false, nothing ran) fires Jenkins
    /// triggers. Off by default: its build event says NOT_BUILT, on which Echo fires nothing; Orca's stage still succeeds.
    /// </summary>
    public bool SkippedRunsTrigger { get; set; }

    /// <summary>
    /// How many times a message Echo refuses for good (a 4xx other than 408 and 429) is tried before it is moved aside
    /// (dead-lettered), so that the next message of its job goes on. Unreachable, 5xx and timeouts are retried forever.
    /// </summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 5;
}
