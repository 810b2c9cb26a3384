using System.Globalization;
using System.Text.Json;
using Igor.GitHubActions.GitHub.Client;

namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>Reads the run of a <c>workflow_run</c> webhook payload (same fields as the REST run object).</summary>
internal static class WorkflowRunPayload
{
    /// <summary>The repository, workflow file and run of the payload, or false when it is not a workflow file run.</summary>
    public static bool TryRead(JsonElement root, out string owner, out string repository, out string workflowFile, out WorkflowRunInfo run)
    {
        owner = repository = workflowFile = "";
        run = null!;
        if (!root.TryGetProperty("workflow_run", out var w) || w.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("repository", out var repo) || repo.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var fullName = Text(repo, "full_name") ?? "";
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        var path = Text(w, "path") ?? "";
        var at = path.IndexOf('@', StringComparison.Ordinal);
        path = at >= 0 ? path[..at] : path;
        var info = new WorkflowInfo(0, "", path, "active", "");
        if (slash <= 0 || info.FileName is not { } file || Number(w, "id") is not { } id || Number(w, "run_number") is not { } number || number is < 1 or > int.MaxValue)
        {
            return false;
        }

        owner = fullName[..slash];
        repository = fullName[(slash + 1)..];
        workflowFile = file;
        run = new WorkflowRunInfo
        {
            Id = id,
            RunNumber = (int)number,
            RunAttempt = (int)(Number(w, "run_attempt") ?? 1),
            Status = Text(w, "status") ?? "completed",
            Conclusion = Text(w, "conclusion"),
            Event = Text(w, "event") ?? "",
            HeadBranch = Text(w, "head_branch"),
            HeadSha = Text(w, "head_sha") ?? "",
            DisplayTitle = Text(w, "display_title"),
            Actor = w.TryGetProperty("actor", out var actor) && actor.ValueKind == JsonValueKind.Object ? Text(actor, "login") : null,
            HtmlUrl = Text(w, "html_url") ?? "",
            CreatedAt = Date(w, "created_at") ?? DateTimeOffset.UnixEpoch,
            UpdatedAt = Date(w, "updated_at") ?? Date(w, "created_at") ?? DateTimeOffset.UnixEpoch,
            RunStartedAt = Date(w, "run_started_at"),
            CommitMessage = w.TryGetProperty("head_commit", out var commit) && commit.ValueKind == JsonValueKind.Object ? Text(commit, "message") : null,
            CommitAuthor = commit.ValueKind == JsonValueKind.Object && commit.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object
                ? Text(author, "name")
                : null,
            Path = path,
        };
        return true;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static DateTimeOffset? Date(JsonElement element, string name) =>
        Text(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
