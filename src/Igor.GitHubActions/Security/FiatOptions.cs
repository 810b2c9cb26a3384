using Igor.GitHubActions.Configuration;
using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.Security;

/// <summary>The <c>Fiat</c> section: with a base URL, the service enforces the masters' READ and WRITE permissions itself.</summary>
internal sealed class FiatOptions
{
    public const string SectionName = "Fiat";

    /// <summary>Fiat's base URL, e.g. http://spin-fiat:7003; without it, no permission is enforced here.</summary>
    [HttpUrl(ErrorMessage = "Fiat:BaseUrl must be an absolute http(s) URL, e.g. http://spin-fiat:7003")]
    public Uri? BaseUrl { get; set; }

    /// <summary>How long a user's permissions read from Fiat are used before Fiat is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The end-to-end time one Fiat request may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => BaseUrl is not null;
}
