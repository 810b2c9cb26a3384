namespace Igor.GitHubActions.Testing;

/// <summary>Behaviour switches of a <see cref="GitHubSimulator"/>. Read when a request is served, so they may be changed between requests.</summary>
public sealed class GitHubSimulatorOptions
{
    /// <summary>Clock of every timestamp, token expiry, log-link expiry and rate-limit window.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where it listens: a free loopback port unless set (the demo host fixes one).</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>Lifetime of installation access tokens (GitHub: one hour).</summary>
    public TimeSpan InstallationTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How the workflow dispatch endpoint treats <c>return_run_details</c> (GHES older than 3.21 do not support it).</summary>
    public DispatchRunDetailsSupport RunDetails { get; set; } = DispatchRunDetailsSupport.Supported;

    /// <summary>Maximum number of top-level dispatch inputs (25 on github.com and GHES 3.20+, 10 before).</summary>
    public int MaxWorkflowInputs { get; set; } = 25;

    /// <summary>Primary rate limit per token or installation per hour.</summary>
    public int RateLimitPerHour { get; set; } = 5000;

    /// <summary>Content-creating requests (POST, PATCH, PUT, DELETE) per minute per installation or user before a secondary rate limit (GitHub: 80).</summary>
    public int ContentCreationLimitPerMinute { get; set; } = 80;

    /// <summary>The <c>retry-after</c> of a secondary rate limit on creating content, and how long the caller stays limited.</summary>
    public TimeSpan SecondaryLimitPenalty { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Lifetime of the signed log and artifact download links (GitHub: one minute).</summary>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Retention of artifacts before they expire (GitHub default: 90 days).</summary>
    public TimeSpan ArtifactRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// A completed run's artifacts are listed only this long after it completed: GitHub can list a run's uploads a little
    /// after the run completes.
    /// </summary>
    public TimeSpan ArtifactListingDelay { get; set; } = TimeSpan.Zero;

    /// <summary>A new run shows in run lists only this long after its creation (models GitHub's eventual consistency).</summary>
    public TimeSpan RunListVisibilityDelay { get; set; } = TimeSpan.Zero;

    /// <summary>When false (the default) a dispatch input value that is not a JSON string is rejected with 422.</summary>
    public bool AllowNonStringInputs { get; set; }

    /// <summary>Older GHES: <c>deployment</c> webhooks carry no <c>performed_via_github_app</c>.</summary>
    public bool OmitPerformedViaGitHubApp { get; set; }

    /// <summary>How long after <c>POST …/runs/{id}/cancel</c> (answered 202) the run completes as cancelled; it stays in progress until then.</summary>
    public TimeSpan CancellationDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// GHES: the REST API is served under <c>/api/v3</c> only; the same paths at the root answer 404 (the web UI's).
    /// The blob host is unaffected.
    /// </summary>
    public bool EnterpriseOnly { get; set; }

    /// <summary>When true, <c>POST …/runs/{id}/cancel</c> leaves the run as it is until the test completes it (see also <see cref="SimulatedRun.IgnoreCancel"/>).</summary>
    public bool DeferCancellation { get; set; }
}
