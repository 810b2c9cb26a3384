using System.Text.RegularExpressions;
using Igor.GitHubActions.Configuration;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>
/// Removes credentials from text that leaves the service (error bodies, log messages): the configured secrets
/// (webhook secret, App private keys, tokens, bearer tokens) and anything shaped like a GitHub token, JWT or PEM key,
/// which covers installation tokens and whatever a GitHub error body might echo.
/// </summary>
internal sealed partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    private readonly string[] _secrets;

    public SecretRedactor(
        IOptions<GitHubOptions> gitHub, IOptions<SecurityOptions> security, IOptions<SpinnakerOptions> spinnaker,
        IOptions<Stages.StagesOptions> stages, IOptions<Deployments.DeploymentStatusOptions> deployments, IOptions<State.StateOptions> state)
    {
        var secrets = new List<string?>
        {
            gitHub.Value.WebhookSecret, spinnaker.Value.LogLinkKey, stages.Value.Secret, deployments.Value.EventsSecret, RedisPassword(state.Value),
        };
        foreach (var master in gitHub.Value.Masters)
        {
            secrets.Add(master.Token);
            secrets.Add(master.PrivateKey);

            // A key echoed line by line is still the key.
            secrets.AddRange((master.PrivateKey ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)));
        }

        secrets.AddRange(security.Value.BearerTokens);
        _secrets = secrets.Where(s => !string.IsNullOrWhiteSpace(s) && s.Length >= 4).Select(s => s!).Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length).ToArray();
    }

    /// <summary>The <c>password=</c> of a StackExchange.Redis configuration string, if any.</summary>
    private static string? RedisPassword(State.StateOptions state)
    {
        try
        {
            return StackExchange.Redis.ConfigurationOptions.Parse(state.Redis.Configuration ?? "", ignoreUnknown: true).Password;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The text with the configured secrets and every token-shaped string masked.</summary>
    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return RedactShapes(text);
    }

    /// <summary>Masks GitHub tokens (<c>ghs_</c>, <c>ghp_</c>, <c>github_pat_</c>, ...), JWTs, PEM keys and Authorization values.</summary>
    public static string RedactShapes(string text) => ShapePattern().Replace(text, Mask);

    [GeneratedRegex(
        @"gh[opsuhr]_[A-Za-z0-9_.\-]{16,}|github_pat_[A-Za-z0-9_]{16,}|eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*|" +
        @"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\z)|(?i:(?:bearer|token)\s+)[A-Za-z0-9_.\-~+/=]{16,}")]
    private static partial Regex ShapePattern();
}
