namespace Igor.GitHubActions.PassThrough;

/// <summary>
/// The <c>Igor</c> section: an existing Igor this service fronts. Requests for masters that are not ours, and
/// everything Igor serves that is not about build masters, are forwarded to it unchanged.
/// </summary>
internal sealed class PassThroughOptions
{
    public const string SectionName = "Igor";

    /// <summary>The existing Igor's base URL (e.g. <c>http://spin-igor:8088</c>); without it, this service replaces Igor.</summary>
    public Uri? PassThroughUrl { get; set; }

    /// <summary>How often the existing Igor's masters are checked for names that clash with ours.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The time allowed for the existing Igor's share of a merged listing (and for the clash check).</summary>
    public TimeSpan ListingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => PassThroughUrl is not null;
}
