using System.Text.Json;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>Stores a run as the webhook told it, and reads it back.</summary>
internal static class RunSnapshots
{
    public static RunSnapshot From(WorkflowRunInfo run, DateTimeOffset receivedAt) =>
        new(run.Id, JsonSerializer.Serialize(run), run.RunAttempt, Rank(run.Status), run.UpdatedAt, receivedAt);

    public static WorkflowRunInfo Read(RunSnapshot snapshot) => JsonSerializer.Deserialize<WorkflowRunInfo>(snapshot.Json)!;

    /// <summary>Orders statuses so an out-of-order delivery (in_progress after completed) cannot move a run back.</summary>
    private static int Rank(string status) => status switch
    {
        "completed" => 3,
        "in_progress" => 2,
        _ => 1,
    };
}
