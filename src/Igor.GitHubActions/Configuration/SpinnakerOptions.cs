namespace Igor.GitHubActions.Configuration;

/// <summary>The <c>Spinnaker</c> configuration section: where people reach this service and Deck.</summary>
internal sealed class SpinnakerOptions
{
    public const string SectionName = "Spinnaker";

    /// <summary>
    /// The public root of this service's log pages (e.g. through Gate's proxies); when set, a build's <c>url</c> is
    /// its log page here instead of the run's page on GitHub.
    /// </summary>
    public Uri? LogPageUrl { get; set; }

    /// <summary>
    /// The key that signs log page links (at least 32 characters); without it, one is derived from the masters'
    /// credentials, so links change when those do. Set it to keep links valid across key rotations.
    /// </summary>
    public string? LogLinkKey { get; set; }

    /// <summary>Deck's root URL, for links back to Spinnaker.</summary>
    public Uri? DeckUrl { get; set; }
}
