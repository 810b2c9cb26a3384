namespace Igor.GitHubActions.Security;

/// <summary>The <c>Security</c> section: optional inbound authentication of the Igor API.</summary>
internal sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// When not empty, every Igor API request must carry <c>Authorization: Bearer</c> one of these (compared in constant
    /// time). The webhook (signature), <c>/health</c>, <c>/metrics</c>, and <c>/echo/events</c> (its own secret) are exempt; <c>/stages/*</c> is not.
    /// </summary>
    public List<string> BearerTokens { get; set; } = [];

    public ClientCertificateOptions ClientCertificates { get; set; } = new();
}
