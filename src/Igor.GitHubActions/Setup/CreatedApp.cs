namespace Igor.GitHubActions.Setup;

/// <summary>What GitHub's code conversion answered, as far as the configuration needs it.</summary>
internal sealed record CreatedApp(long Id, string Slug, string Name, string HtmlUrl, string Pem, string WebhookSecret);
