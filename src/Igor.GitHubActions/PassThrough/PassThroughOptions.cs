using Igor.GitHubActions.Configuration;
namespace Igor.GitHubActions.PassThrough;

/// <summary>
/// The <c>Igor</c> section: an existing Igor this service fronts. Requests for masters that are not ours, and
/// everything Igor serves that is not about build masters, are forwarded to it unchanged.
/// </summary>
internal sealed class PassThroughOptions
{
    public const string SectionName = "Igor";

    /// <summary>The existing Igor's base URL (e.g. <c>http://spin-igor:8088</c>); without it, this service replaces Igor.</summary>
    [HttpUrl(NoQuery = true, ErrorMessage = "Igor:PassThroughUrl must be an absolute http(s) URL without a query, e.g. http://spin-igor:8088")]
    public Uri? PassThroughUrl { get; set; }

    /// <summary>How often the existing Igor's masters are checked for names that clash with ours.</summary>
    [Duration("00:00:00.001", "1.00:00:00", ErrorMessage = "Igor:CheckInterval must be positive (at most a day)")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The time allowed for the existing Igor's share of a merged listing (and for the clash check).</summary>
    [Duration("00:00:00.001", "00:10:00", ErrorMessage = "Igor:ListingTimeout must be positive (at most ten minutes)")]
    public TimeSpan ListingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => PassThroughUrl is not null;
}
