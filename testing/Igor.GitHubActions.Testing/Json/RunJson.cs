using System.Globalization;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing.Json;

/// <summary>The <c>workflow</c>, <c>workflow-run</c>, <c>job</c> and <c>artifact</c> shapes. Call under the simulator lock.</summary>
internal static class RunJson
{
    public static JsonObject Workflow(Urls urls, SimulatedWorkflow workflow)
    {
        var repository = workflow.Repository;
        var id = workflow.Id.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = workflow.Id,
            ["node_id"] = JsonFormat.NodeId("Workflow", workflow.Id),
            ["name"] = workflow.Name,
            ["path"] = workflow.Path,
            ["state"] = workflow.State,
            ["created_at"] = JsonFormat.Date(workflow.CreatedAt),
            ["updated_at"] = JsonFormat.Date(workflow.UpdatedAt),
            ["url"] = $"{urls.Repo(repository)}/actions/workflows/{id}",
            ["html_url"] = $"{urls.RepoHtml(repository)}/blob/{repository.DefaultBranch}/{workflow.Path}",
            ["badge_url"] = $"{urls.RepoHtml(repository)}/workflows/{Uri.EscapeDataString(workflow.Name)}/badge.svg",
        };
    }

    /// <summary>A run, or one of its earlier attempts when <paramref name="attempt"/> is given.</summary>
    public static JsonObject Run(Urls urls, SimulatedRun run, RunAttemptSnapshot? attempt = null)
    {
        var repository = run.Repository;
        var api = $"{urls.Repo(repository)}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}";
        var attemptNumber = attempt?.Attempt ?? run.RunAttempt;
        var checkSuite = run.CheckSuiteId.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = run.Id,
            ["name"] = run.Workflow.Name,
            ["node_id"] = JsonFormat.NodeId("WorkflowRun", run.Id),
            ["head_branch"] = run.HeadBranch,
            ["head_sha"] = run.HeadSha,
            ["path"] = run.Workflow.Path,
            ["display_title"] = run.DisplayTitle,
            ["run_number"] = run.RunNumber,
            ["event"] = run.Event,
            ["status"] = attempt?.Status ?? run.StatusUnlocked,
            ["conclusion"] = attempt is null ? run.ConclusionUnlocked : attempt.Conclusion,
            ["workflow_id"] = run.WorkflowId,
            ["check_suite_id"] = run.CheckSuiteId,
            ["check_suite_node_id"] = JsonFormat.NodeId("CheckSuite", run.CheckSuiteId),
            ["url"] = api,
            ["html_url"] = $"{urls.RepoHtml(repository)}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}",
            ["pull_requests"] = new JsonArray(),
            ["created_at"] = JsonFormat.Date(run.CreatedAt),
            ["updated_at"] = JsonFormat.Date(attempt?.UpdatedAt ?? run.UpdatedAt),
            ["actor"] = AccountJson.User(urls, run.Actor),
            ["run_attempt"] = attemptNumber,
            ["referenced_workflows"] = new JsonArray(),
            ["run_started_at"] = JsonFormat.Date(attempt?.RunStartedAt ?? run.RunStartedAt),
            ["triggering_actor"] = AccountJson.User(urls, attempt?.TriggeringActor ?? run.TriggeringActor),
            ["jobs_url"] = $"{api}/jobs",
            ["logs_url"] = $"{api}/logs",
            ["check_suite_url"] = $"{urls.Repo(repository)}/check-suites/{checkSuite}",
            ["artifacts_url"] = $"{api}/artifacts",
            ["cancel_url"] = $"{api}/cancel",
            ["rerun_url"] = $"{api}/rerun",
            ["previous_attempt_url"] = attemptNumber > 1 ? $"{api}/attempts/{(attemptNumber - 1).ToString(CultureInfo.InvariantCulture)}" : null,
            ["workflow_url"] = $"{urls.Repo(repository)}/actions/workflows/{run.WorkflowId.ToString(CultureInfo.InvariantCulture)}",
            ["head_commit"] = HeadCommit(run),
            ["repository"] = RepositoryJson.Minimal(urls, repository),
            ["head_repository"] = RepositoryJson.Minimal(urls, repository),
            ["head_repository_id"] = repository.Id,
        };
    }

    public static JsonObject Job(Urls urls, SimulatedJob job)
    {
        var run = job.Run;
        var repository = run.Repository;
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        var steps = new JsonArray();
        foreach (var step in job.StepList)
        {
            steps.Add(new JsonObject
            {
                ["name"] = step.Name,
                ["status"] = step.Status,
                ["conclusion"] = step.Conclusion,
                ["number"] = step.Number,
                ["started_at"] = JsonFormat.Date(step.StartedAt),
                ["completed_at"] = JsonFormat.Date(step.CompletedAt),
            });
        }

        return new JsonObject
        {
            ["id"] = job.Id,
            ["run_id"] = run.Id,
            ["workflow_name"] = run.Workflow.Name,
            ["head_branch"] = run.HeadBranch,
            ["run_url"] = $"{urls.Repo(repository)}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}",
            ["run_attempt"] = job.RunAttempt,
            ["node_id"] = JsonFormat.NodeId("CheckRun", job.Id),
            ["head_sha"] = run.HeadSha,
            ["url"] = $"{urls.Repo(repository)}/actions/jobs/{id}",
            ["html_url"] = $"{urls.RepoHtml(repository)}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}/job/{id}",
            ["status"] = job.StatusUnlocked,
            ["conclusion"] = job.ConclusionUnlocked,
            ["created_at"] = JsonFormat.Date(job.CreatedAt),
            ["started_at"] = JsonFormat.Date(job.StartedAt),
            ["completed_at"] = JsonFormat.Date(job.CompletedAt),
            ["name"] = job.Name,
            ["steps"] = steps,
            ["check_run_url"] = $"{urls.Repo(repository)}/check-runs/{id}",
            ["labels"] = JsonFormat.Strings(job.Labels),
            ["runner_id"] = 1,
            ["runner_name"] = job.RunnerName,
            ["runner_group_id"] = 1,
            ["runner_group_name"] = "GitHub Actions",
        };
    }

    public static JsonObject Artifact(Urls urls, SimulatedArtifact artifact)
    {
        var run = artifact.Run;
        var api = $"{urls.Repo(run.Repository)}/actions/artifacts/{artifact.Id.ToString(CultureInfo.InvariantCulture)}";
        return new JsonObject
        {
            ["id"] = artifact.Id,
            ["node_id"] = JsonFormat.NodeId("Artifact", artifact.Id),
            ["name"] = artifact.Name,
            ["size_in_bytes"] = artifact.SizeInBytes,
            ["url"] = api,
            ["archive_download_url"] = $"{api}/zip",
            ["expired"] = artifact.Expired,
            ["created_at"] = JsonFormat.Date(artifact.CreatedAt),
            ["expires_at"] = JsonFormat.Date(artifact.ExpiresAt),
            ["updated_at"] = JsonFormat.Date(artifact.CreatedAt),
            ["digest"] = artifact.Digest,
            ["workflow_run"] = new JsonObject
            {
                ["id"] = run.Id,
                ["repository_id"] = run.Repository.Id,
                ["head_repository_id"] = run.Repository.Id,
                ["head_branch"] = run.HeadBranch,
                ["head_sha"] = run.HeadSha,
            },
        };
    }

    private static JsonObject HeadCommit(SimulatedRun run) => new()
    {
        ["id"] = run.HeadSha,
        ["tree_id"] = SimulatorCore.Sha($"tree|{run.HeadSha}"),
        ["message"] = run.HeadCommitMessage,
        ["timestamp"] = JsonFormat.Date(run.HeadCommitTimestamp),
        ["author"] = new JsonObject { ["name"] = "Monalisa Octocat", ["email"] = "octocat@github.com" },
        ["committer"] = new JsonObject { ["name"] = "GitHub", ["email"] = "noreply@github.com" },
    };
}
