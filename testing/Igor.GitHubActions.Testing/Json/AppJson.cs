using System.Globalization;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing.Json;

/// <summary>The <c>integration</c> (App) and <c>installation</c> shapes.</summary>
internal static class AppJson
{
    public static JsonObject App(Urls urls, SimulatedApp app) => new()
    {
        ["id"] = app.AppId,
        ["slug"] = app.Slug,
        ["node_id"] = JsonFormat.NodeId("App", app.AppId),
        ["client_id"] = app.ClientId,
        ["owner"] = AccountJson.User(urls, app.Owner),
        ["name"] = app.Name,
        ["description"] = "Spinnaker Igor for GitHub Actions (simulated)",
        ["external_url"] = $"{urls.Web}apps/{app.Slug}/home",
        ["html_url"] = $"{urls.Web}apps/{app.Slug}",
        ["created_at"] = JsonFormat.Date(app.CreatedAt),
        ["updated_at"] = JsonFormat.Date(app.CreatedAt),
        ["permissions"] = JsonFormat.Permissions(app.Permissions.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)),
        ["events"] = JsonFormat.Strings(app.Events),
    };

    public static JsonObject Installation(Urls urls, SimulatedInstallation installation)
    {
        var id = installation.Id.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = installation.Id,
            ["client_id"] = installation.App.ClientId,
            ["account"] = AccountJson.User(urls, installation.Account),
            ["repository_selection"] = installation.RepositorySelection,
            ["access_tokens_url"] = $"{urls.Api}app/installations/{id}/access_tokens",
            ["repositories_url"] = $"{urls.Api}installation/repositories",
            ["html_url"] = $"{urls.Web}organizations/{installation.Account.Login}/settings/installations/{id}",
            ["app_id"] = installation.App.AppId,
            ["app_slug"] = installation.App.Slug,
            ["target_id"] = installation.Account.Id,
            ["target_type"] = installation.Account.Type,
            ["permissions"] = JsonFormat.Permissions(installation.Permissions),
            ["events"] = JsonFormat.Strings(installation.App.Events),
            ["created_at"] = JsonFormat.Date(installation.CreatedAt),
            ["updated_at"] = JsonFormat.Date(installation.CreatedAt),
            ["single_file_name"] = null,
            ["has_multiple_single_files"] = false,
            ["single_file_paths"] = new JsonArray(),
            ["suspended_by"] = null,
            ["suspended_at"] = null,
        };
    }
}
