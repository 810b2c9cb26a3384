using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Testing.Json;

/// <summary>The <c>repository</c> (full) and <c>minimal-repository</c> shapes.</summary>
internal static class RepositoryJson
{
    private static readonly (string Key, string Suffix)[] UrlTemplates =
    [
        ("forks_url", "/forks"), ("keys_url", "/keys{/key_id}"), ("collaborators_url", "/collaborators{/collaborator}"),
        ("teams_url", "/teams"), ("hooks_url", "/hooks"), ("issue_events_url", "/issues/events{/number}"),
        ("events_url", "/events"), ("assignees_url", "/assignees{/user}"), ("branches_url", "/branches{/branch}"),
        ("tags_url", "/tags"), ("blobs_url", "/git/blobs{/sha}"), ("git_tags_url", "/git/tags{/sha}"),
        ("git_refs_url", "/git/refs{/sha}"), ("trees_url", "/git/trees{/sha}"), ("statuses_url", "/statuses/{sha}"),
        ("languages_url", "/languages"), ("stargazers_url", "/stargazers"), ("contributors_url", "/contributors"),
        ("subscribers_url", "/subscribers"), ("subscription_url", "/subscription"), ("commits_url", "/commits{/sha}"),
        ("git_commits_url", "/git/commits{/sha}"), ("comments_url", "/comments{/number}"),
        ("issue_comment_url", "/issues/comments{/number}"), ("contents_url", "/contents/{+path}"),
        ("compare_url", "/compare/{base}...{head}"), ("merges_url", "/merges"), ("archive_url", "/{archive_format}{/ref}"),
        ("downloads_url", "/downloads"), ("issues_url", "/issues{/number}"), ("pulls_url", "/pulls{/number}"),
        ("milestones_url", "/milestones{/number}"), ("notifications_url", "/notifications{?since,all,participating}"),
        ("labels_url", "/labels{/name}"), ("releases_url", "/releases{/id}"), ("deployments_url", "/deployments"),
    ];

    /// <summary>The minimal repository, as inside a workflow run.</summary>
    public static JsonObject Minimal(Urls urls, SimulatedRepository repository)
    {
        var api = urls.Repo(repository);
        var json = new JsonObject
        {
            ["id"] = repository.Id,
            ["node_id"] = JsonFormat.NodeId("Repository", repository.Id),
            ["name"] = repository.Name,
            ["full_name"] = repository.FullName,
            ["private"] = repository.Private,
            ["owner"] = AccountJson.User(urls, repository.OwnerAccount),
            ["html_url"] = urls.RepoHtml(repository),
            ["description"] = repository.Description,
            ["fork"] = false,
            ["url"] = api,
        };
        foreach (var (key, suffix) in UrlTemplates)
        {
            json[key] = api + suffix;
        }

        return json;
    }

    /// <summary>The full repository, as from <c>GET /repos/{o}/{r}</c> and in webhook payloads.</summary>
    public static JsonObject Full(Urls urls, SimulatedRepository repository, DateTimeOffset pushedAt, bool withPermissions)
    {
        var json = Minimal(urls, repository);
        var host = new Uri(urls.Web).Authority;
        var created = JsonFormat.Date(repository.CreatedAt);
        json["created_at"] = created;
        json["updated_at"] = JsonFormat.Date(pushedAt);
        json["pushed_at"] = JsonFormat.Date(pushedAt);
        json["git_url"] = $"git://{host}/{repository.FullName}.git";
        json["ssh_url"] = $"git@{host}:{repository.FullName}.git";
        json["clone_url"] = $"{urls.RepoHtml(repository)}.git";
        json["svn_url"] = urls.RepoHtml(repository);
        json["homepage"] = null;
        json["size"] = 108;
        json["stargazers_count"] = 0;
        json["watchers_count"] = 0;
        json["language"] = null;
        json["has_issues"] = true;
        json["has_projects"] = true;
        json["has_downloads"] = true;
        json["has_wiki"] = true;
        json["has_pages"] = false;
        json["has_discussions"] = false;
        json["forks_count"] = 0;
        json["mirror_url"] = null;
        json["archived"] = false;
        json["disabled"] = false;
        json["open_issues_count"] = 0;
        json["license"] = null;
        json["allow_forking"] = true;
        json["is_template"] = false;
        json["web_commit_signoff_required"] = false;
        json["topics"] = new JsonArray();
        json["visibility"] = repository.Private ? "private" : "public";
        json["forks"] = 0;
        json["open_issues"] = 0;
        json["watchers"] = 0;
        json["default_branch"] = repository.DefaultBranch;
        if (withPermissions)
        {
            json["permissions"] = new JsonObject { ["admin"] = false, ["maintain"] = false, ["push"] = true, ["triage"] = true, ["pull"] = true };
        }

        json["custom_properties"] = new JsonObject();
        return json;
    }
}
