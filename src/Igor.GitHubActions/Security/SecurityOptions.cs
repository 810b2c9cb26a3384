using Microsoft.Extensions.Options;
using Igor.GitHubActions.Configuration;
namespace Igor.GitHubActions.Security;

/// <summary>The <c>Security</c> section: optional inbound authentication of the Igor API.</summary>
internal sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// When not empty, every Igor API request must carry <c>Authorization: Bearer</c> one of these (compared in constant
    /// time). The webhook (signature), <c>/health</c>, <c>/metrics</c>, and <c>/echo/events</c> (its own secret) are exempt; <c>/stages/*</c> is not.
    /// </summary>
    [Secret(16, ErrorMessage = "Security:BearerTokens: every token must be at least 16 characters without spaces (e.g. openssl rand -hex 32)")]
    public List<string> BearerTokens { get; set; } = [];

    [ValidateObjectMembers]
    public ClientCertificateOptions ClientCertificates { get; set; } = new();
}
