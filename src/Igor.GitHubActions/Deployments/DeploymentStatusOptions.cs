using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.Deployments;

/// <summary>The <c>Deployments</c> section: Echo's pipeline events in, GitHub deployment statuses out.</summary>
internal sealed class DeploymentStatusOptions
{
    public const string SectionName = "Deployments";

    /// <summary>
    /// <c>POST /echo/events</c> is off until it is set; then every call needs it in <see cref="EventsSecretHeader"/>
    /// (Echo's rest.endpoints headers). At least 32 characters.
    /// </summary>
    public string? EventsSecret { get; set; }

    [Required]
    [RegularExpression("^[A-Za-z0-9-]{1,100}$", ErrorMessage = "Deployments:EventsSecretHeader must be a header name")]
    public string EventsSecretHeader { get; set; } = "X-Igor-Events-Secret";

    /// <summary>Larger event bodies are refused with 400 (Echo posts whole executions, stages included).</summary>
    [Range(1024, 104_857_600)]
    public int MaxEventBytes { get; set; } = 16 * 1024 * 1024;

    [ValidateObjectMembers]
    public DeploymentStateMapping States { get; set; } = new();

    /// <summary>The pipeline parameter or stage output whose value becomes the status' environment_url.</summary>
    [Required(ErrorMessage = "Deployments:EnvironmentUrlName must be a parameter or output name")]
    [StringLength(100, ErrorMessage = "Deployments:EnvironmentUrlName must be a parameter or output name")]
    public string EnvironmentUrlName { get; set; } = "environment_url";

    /// <summary>GitHub's auto_inactive on every status written (GitHub's default is true).</summary>
    public bool AutoInactive { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A status GitHub keeps failing transiently (5xx, timeouts) is given up after this many attempts.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
