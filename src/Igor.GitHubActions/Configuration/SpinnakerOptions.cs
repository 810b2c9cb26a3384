namespace Igor.GitHubActions.Configuration;

/// <summary>The <c>Spinnaker</c> configuration section: where people reach this service and Deck.</summary>
internal sealed class SpinnakerOptions
{
    public const string SectionName = "Spinnaker";

    /// <summary>
    /// The public root of this service's log pages (e.g. through Gate's proxies); when set, a build's <c>url</c> is
    /// its log page here instead of the run's page on GitHub.
    /// </summary>
    [HttpUrl(ErrorMessage = "Spinnaker:LogPageUrl: expected an absolute http(s) URL, e.g. https://spinnaker.example.com/gate/proxies/igor-logs")]
    public Uri? LogPageUrl { get; set; }

    /// <summary>
    /// The key that signs log page links (at least 32 characters); without it, one is derived from the masters'
    /// credentials, so links change when those do. Set it to keep links valid across key rotations.
    /// </summary>
    [Secret(32, AllowWhiteSpace = true, ErrorMessage = "Spinnaker:LogLinkKey: use at least 32 characters (e.g. openssl rand -hex 32)")]
    public string? LogLinkKey { get; set; }

    /// <summary>Deck's root URL, for links back to Spinnaker.</summary>
    [HttpUrl(ErrorMessage = "Spinnaker:DeckUrl: expected an absolute http(s) URL, e.g. https://spinnaker.example.com")]
    public Uri? DeckUrl { get; set; }

    /// <summary>
    /// What <c>/ci/builds/{id}/output</c> answers while the run is going: the logs of the jobs finished so far, in job
    /// order, so the text only grows (true), or nothing until the run ends (false). Deck joins every answer it polls
    /// (Gate drops its cursor), so with true a Deck tab open on a running build repeats the finished jobs' text until
    /// the run ends; the log page shows the same live view without that.
    /// </summary>
    public bool CiLiveOutput { get; set; } = true;
}
