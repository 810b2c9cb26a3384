using System.Globalization;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Testing.Json;

/// <summary>The <c>simple-user</c> shape (owners, actors, creators, senders).</summary>
internal static class AccountJson
{
    public static JsonObject User(Urls urls, Account account)
    {
        var api = urls.User(account.Login);
        return new JsonObject
        {
            ["login"] = account.Login,
            ["id"] = account.Id,
            ["node_id"] = JsonFormat.NodeId(account.Type, account.Id),
            ["avatar_url"] = $"{urls.Web}avatars/u/{account.Id.ToString(CultureInfo.InvariantCulture)}?v=4",
            ["gravatar_id"] = "",
            ["url"] = api,
            ["html_url"] = $"{urls.Web}{account.Login}",
            ["followers_url"] = $"{api}/followers",
            ["following_url"] = $"{api}/following{{/other_user}}",
            ["gists_url"] = $"{api}/gists{{/gist_id}}",
            ["starred_url"] = $"{api}/starred{{/owner}}{{/repo}}",
            ["subscriptions_url"] = $"{api}/subscriptions",
            ["organizations_url"] = $"{api}/orgs",
            ["repos_url"] = $"{api}/repos",
            ["events_url"] = $"{api}/events{{/privacy}}",
            ["received_events_url"] = $"{api}/received_events",
            ["type"] = account.Type,
            ["user_view_type"] = "public",
            ["site_admin"] = false,
        };
    }

    /// <summary>The <c>organization</c> object of webhook payloads.</summary>
    public static JsonObject Organization(Urls urls, Account account)
    {
        var api = $"{urls.Api}orgs/{account.Login}";
        return new JsonObject
        {
            ["login"] = account.Login,
            ["id"] = account.Id,
            ["node_id"] = JsonFormat.NodeId("Organization", account.Id),
            ["url"] = api,
            ["repos_url"] = $"{api}/repos",
            ["events_url"] = $"{api}/events",
            ["hooks_url"] = $"{api}/hooks",
            ["issues_url"] = $"{api}/issues",
            ["members_url"] = $"{api}/members{{/member}}",
            ["public_members_url"] = $"{api}/public_members{{/member}}",
            ["avatar_url"] = $"{urls.Web}avatars/u/{account.Id.ToString(CultureInfo.InvariantCulture)}?v=4",
            ["description"] = "",
        };
    }
}
