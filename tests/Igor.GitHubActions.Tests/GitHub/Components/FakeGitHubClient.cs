using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Dispatch;

namespace Igor.GitHubActions.Tests.GitHub.Components;

/// <summary>
/// An in-memory GitHub behind the client port, for the provider's components one by one: what GitHub holds is set up in
/// its collections, what the component did is read from them, and <see cref="Fail"/> makes one call fail as GitHub would.
/// The end-to-end tests use the HTTP simulator instead.
/// </summary>
internal sealed class FakeGitHubClient : IGitHubActionsClient
{
    public List<string> Repositories { get; } = [];

    public Dictionary<string, RepositoryInfo> RepositoryDetails { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<WorkflowInfo>> Workflows { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs by id, with the workflow file each belongs to.</summary>
    public ConcurrentDictionary<long, (string Repository, string WorkflowFile, WorkflowRunInfo Run)> Runs { get; } = new();

    public Dictionary<long, List<WorkflowJobInfo>> Jobs { get; } = [];

    public Dictionary<long, string> JobLogs { get; } = [];

    public Dictionary<long, List<ArtifactInfo>> Artifacts { get; } = [];

    public Dictionary<long, byte[]> ArtifactZips { get; } = [];

    public List<(long Id, string Guid)> FailedDeliveries { get; } = [];

    public List<long> Redelivered { get; } = [];

    public List<(long RunId, bool Force)> Cancels { get; } = [];

    public List<(string Repository, long Id, DeploymentRequest Request)> Deployments { get; } = [];

    public List<(string Repository, long DeploymentId, DeploymentStatusRequest Status)> DeploymentStatuses { get; } = [];

    public List<(string Repository, string Sha, CommitStatusRequest Status)> CommitStatuses { get; } = [];

    /// <summary>Calls by member name, counted.</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, called before each member with its name; an exception it returns is thrown.</summary>
    public Func<string, Exception?> Fail { get; set; } = _ => null;

    /// <summary>Whether a cancel is accepted (GitHub answers 202, or 409 for a finished run).</summary>
    public bool AcceptCancel { get; set; } = true;

    public int RepositoryListings => Calls.GetValueOrDefault(nameof(ListRepositoriesAsync));

    public WorkflowRunInfo AddRun(string repository, string workflowFile, long id, int number, string status = "completed", string? conclusion = "success", DateTimeOffset? updatedAt = null)
    {
        var at = updatedAt ?? new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var run = new WorkflowRunInfo
        {
            Id = id, RunNumber = number, Status = status, Conclusion = conclusion, Event = "workflow_dispatch", HeadSha = "abc123",
            HeadBranch = "main", HtmlUrl = $"https://github.com/{repository}/actions/runs/{id}", CreatedAt = at.AddMinutes(-5), UpdatedAt = at,
            Path = $".github/workflows/{workflowFile}", DisplayTitle = $"run {number}",
        };
        Runs[id] = (repository, workflowFile, run);
        return run;
    }

    public void AddArtifact(long runId, long artifactId, string name, string fileName, string content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(fileName).Open();
            entry.Write(Encoding.UTF8.GetBytes(content));
        }

        ArtifactZips[artifactId] = buffer.ToArray();
        Artifacts.TryAdd(runId, []);
        Artifacts[runId].Add(new ArtifactInfo(artifactId, name, buffer.Length, Expired: false));
    }

    public void AddJob(long runId, long jobId, string name, string log, string status = "completed", string? conclusion = "success")
    {
        Jobs.TryAdd(runId, []);
        Jobs[runId].Add(new WorkflowJobInfo(jobId, name, status, conclusion, $"https://github.com/job/{jobId}", null, null, []));
        JobLogs[jobId] = log;
    }

    private void Enter(string member)
    {
        Calls.AddOrUpdate(member, 1, (_, n) => n + 1);
        if (Fail(member) is { } failure)
        {
            throw failure;
        }
    }

    private static GitHubException NotFound(string what) => new(GitHubFailureKind.NotFound, $"GitHub does not know {what} (404)", gitHubStatus: 404);

    public Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken)
    {
        Enter(nameof(ListRepositoriesAsync));
        return Task.FromResult<IReadOnlyList<string>>(Repositories.ToArray());
    }

    public Task<RepositoryInfo> GetRepositoryAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        Enter(nameof(GetRepositoryAsync));
        var name = $"{owner}/{repository}";
        return RepositoryDetails.TryGetValue(name, out var info)
            ? Task.FromResult(info)
            : Task.FromResult(new RepositoryInfo(owner, repository, "main", $"https://github.com/{name}"));
    }

    public Task<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        Enter(nameof(ListWorkflowsAsync));
        return Task.FromResult<IReadOnlyList<WorkflowInfo>>(Workflows.TryGetValue($"{owner}/{repository}", out var list) ? list.ToArray() : []);
    }

    public Task<string?> GetFileAsync(string owner, string repository, string path, string gitRef, CancellationToken cancellationToken)
    {
        Enter(nameof(GetFileAsync));
        return Task.FromResult<string?>("on:\n  workflow_dispatch:\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: []\n");
    }

    public Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        Enter(nameof(ProbeAsync));
        return Task.FromResult<string?>(null);
    }

    public Task<DispatchOutcome> DispatchWorkflowAsync(
        string owner, string repository, string workflowFile, string gitRef, IReadOnlyDictionary<string, string> inputs, bool returnRunDetails, CancellationToken cancellationToken)
    {
        Enter(nameof(DispatchWorkflowAsync));
        var id = 1_000 + Runs.Count;
        AddRun($"{owner}/{repository}", workflowFile, id, Runs.Count + 1, status: "queued", conclusion: null);
        return Task.FromResult(new DispatchOutcome(returnRunDetails ? id : null, false));
    }

    public Task DispatchRepositoryAsync(string owner, string repository, string eventType, IReadOnlyDictionary<string, string> clientPayload, CancellationToken cancellationToken)
    {
        Enter(nameof(DispatchRepositoryAsync));
        return Task.CompletedTask;
    }

    public Task<string> GetDispatcherLoginAsync(CancellationToken cancellationToken)
    {
        Enter(nameof(GetDispatcherLoginAsync));
        return Task.FromResult("igor[bot]");
    }

    public Task<WorkflowRunInfo> GetRunAsync(string owner, string repository, long runId, CancellationToken cancellationToken)
    {
        Enter(nameof(GetRunAsync));
        return Runs.TryGetValue(runId, out var run) && string.Equals(run.Repository, $"{owner}/{repository}", StringComparison.OrdinalIgnoreCase)
            ? Task.FromResult(run.Run)
            : throw NotFound($"run {runId} of {owner}/{repository}");
    }

    public Task<IReadOnlyList<WorkflowRunInfo>> ListRunsAsync(string owner, string repository, string workflowFile, RunQuery query, CancellationToken cancellationToken)
    {
        Enter(nameof(ListRunsAsync));
        var runs = Runs.Values.Where(r => string.Equals(r.Repository, $"{owner}/{repository}", StringComparison.OrdinalIgnoreCase) && r.WorkflowFile == workflowFile)
            .Select(r => r.Run).OrderByDescending(r => r.RunNumber).Skip((query.Page - 1) * query.PerPage).Take(query.PerPage).ToArray();
        return Task.FromResult<IReadOnlyList<WorkflowRunInfo>>(runs);
    }

    public Task<bool> CancelRunAsync(string owner, string repository, long runId, bool force, CancellationToken cancellationToken)
    {
        Enter(nameof(CancelRunAsync));
        Cancels.Add((runId, force));
        return Task.FromResult(AcceptCancel);
    }

    public Task<IReadOnlyList<(string WorkflowFile, WorkflowRunInfo Run)>> ListCompletedRunsAsync(string owner, string repository, DateTimeOffset since, CancellationToken cancellationToken)
    {
        Enter(nameof(ListCompletedRunsAsync));
        return Task.FromResult<IReadOnlyList<(string, WorkflowRunInfo)>>(Runs.Values
            .Where(r => string.Equals(r.Repository, $"{owner}/{repository}", StringComparison.OrdinalIgnoreCase) && r.Run.Status == "completed" && r.Run.UpdatedAt >= since)
            .Select(r => (r.WorkflowFile, r.Run)).ToArray());
    }

    public Task<IReadOnlyList<(long Id, string Guid)>> ListFailedDeliveriesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        Enter(nameof(ListFailedDeliveriesAsync));
        return Task.FromResult<IReadOnlyList<(long, string)>>(FailedDeliveries.ToArray());
    }

    public Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken)
    {
        Enter(nameof(RedeliverAsync));
        Redelivered.Add(deliveryId);
        return Task.CompletedTask;
    }

    public Task<bool> TeamCanWriteAsync(string organization, string teamSlug, string owner, string repository, CancellationToken cancellationToken)
    {
        Enter(nameof(TeamCanWriteAsync));
        return Task.FromResult(true);
    }

    public void ForgetRepositories() => Enter(nameof(ForgetRepositories));

    public Task<long> CreateDeploymentAsync(string owner, string repository, DeploymentRequest request, CancellationToken cancellationToken)
    {
        Enter(nameof(CreateDeploymentAsync));
        var id = 500L + Deployments.Count;
        Deployments.Add(($"{owner}/{repository}", id, request));
        return Task.FromResult(id);
    }

    public Task<long?> FindDeploymentAsync(string owner, string repository, string environment, string gitRef, string intent, CancellationToken cancellationToken)
    {
        Enter(nameof(FindDeploymentAsync));
        var found = Deployments.Where(d => d.Repository == $"{owner}/{repository}" && d.Request.Environment == environment && d.Request.Intent == intent)
            .Select(d => (long?)d.Id).FirstOrDefault();
        return Task.FromResult(found);
    }

    public Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, DeploymentStatusRequest status, CancellationToken cancellationToken)
    {
        Enter(nameof(CreateDeploymentStatusAsync));
        DeploymentStatuses.Add(($"{owner}/{repository}", deploymentId, status));
        return Task.CompletedTask;
    }

    public Task<DeploymentStatusRequest?> GetLatestDeploymentStatusAsync(string owner, string repository, long deploymentId, CancellationToken cancellationToken)
    {
        Enter(nameof(GetLatestDeploymentStatusAsync));
        return Task.FromResult(DeploymentStatuses.Where(s => s.DeploymentId == deploymentId).Select(s => (DeploymentStatusRequest?)s.Status).LastOrDefault());
    }

    public Task CreateCommitStatusAsync(string owner, string repository, string sha, CommitStatusRequest status, CancellationToken cancellationToken)
    {
        Enter(nameof(CreateCommitStatusAsync));
        CommitStatuses.Add(($"{owner}/{repository}", sha, status));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkflowRunInfo>> ListRepositoryRunsAsync(string owner, string repository, RunQuery query, CancellationToken cancellationToken)
    {
        Enter(nameof(ListRepositoryRunsAsync));
        return Task.FromResult<IReadOnlyList<WorkflowRunInfo>>(Runs.Values
            .Where(r => string.Equals(r.Repository, $"{owner}/{repository}", StringComparison.OrdinalIgnoreCase) && (query.HeadSha is null || r.Run.HeadSha == query.HeadSha))
            .Select(r => r.Run).OrderByDescending(r => r.Id).Take(query.PerPage).ToArray());
    }

    public Task<IReadOnlyList<WorkflowJobInfo>> ListJobsAsync(string owner, string repository, long runId, int attempt, CancellationToken cancellationToken)
    {
        Enter(nameof(ListJobsAsync));
        return Task.FromResult<IReadOnlyList<WorkflowJobInfo>>(Jobs.TryGetValue(runId, out var jobs) ? jobs.ToArray() : []);
    }

    public Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string owner, string repository, long runId, CancellationToken cancellationToken)
    {
        Enter(nameof(ListArtifactsAsync));
        return Task.FromResult<IReadOnlyList<ArtifactInfo>>(Artifacts.TryGetValue(runId, out var list) ? list.ToArray() : []);
    }

    public Task<Stream> OpenJobLogAsync(string owner, string repository, long jobId, CancellationToken cancellationToken)
    {
        Enter(nameof(OpenJobLogAsync));
        return JobLogs.TryGetValue(jobId, out var log)
            ? Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(log)))
            : throw NotFound($"the log of job {jobId}");
    }

    public Task<Stream> OpenArtifactAsync(string owner, string repository, long artifactId, CancellationToken cancellationToken)
    {
        Enter(nameof(OpenArtifactAsync));
        return ArtifactZips.TryGetValue(artifactId, out var zip)
            ? Task.FromResult<Stream>(new MemoryStream(zip))
            : throw NotFound($"artifact {artifactId}");
    }
}
