namespace Igor.GitHubActions.Setup;

/// <summary>What the setup form asked for: where GitHub is, who owns the App, and the master it becomes.</summary>
internal sealed record SetupRequest(
    Uri WebUrl, Uri ApiUrl, string? Organization, Uri PublicUrl, string MasterName, IReadOnlyList<string> Repositories, bool RepositoryDispatch, DateTimeOffset CreatedAt)
{
    /// <summary>github.com's API is api.github.com; any other host is GitHub Enterprise Server, whose API is under /api/v3.</summary>
    public static Uri ApiUrlOf(Uri webUrl) =>
        webUrl.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase) || webUrl.Host.Equals("www.github.com", StringComparison.OrdinalIgnoreCase)
            ? new Uri("https://api.github.com/")
            : new Uri(webUrl, "api/v3/");

    /// <summary>GitHub's page that registers an App from a manifest, for a personal account or an organization.</summary>
    public Uri NewAppUrl(string state) =>
        new(WebUrl, (Organization is null ? "settings/apps/new" : $"organizations/{Uri.EscapeDataString(Organization)}/settings/apps/new") + $"?state={state}");
}
