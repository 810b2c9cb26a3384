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

    /// <summary>Deck's root URL, for links back to Spinnaker.</summary>
    public Uri? DeckUrl { get; set; }
}
