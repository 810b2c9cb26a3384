using Igor.GitHubActions.GitHub.Dispatch;
namespace Igor.GitHubActions.GitHub.Client;

/// <summary>The GitHub calls one master makes, authenticated as its App installation (or token), cancellable.</summary>
internal interface IGitHubActionsClient
{
    /// <summary>Every repository the master's allowlist admits, with <c>owner/*</c> expanded through the App's installation.</summary>
    Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken);

    /// <summary>The repository, or an <see cref="Igor.Http.IgorException"/> 404 when GitHub does not know it.</summary>
    Task<RepositoryInfo> GetRepositoryAsync(string owner, string repository, CancellationToken cancellationToken);

    /// <summary>The workflows of a repository (conditional request: a 304 costs no rate limit).</summary>
    Task<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(string owner, string repository, CancellationToken cancellationToken);

    /// <summary>A file's text at a ref, or null when the file or ref does not exist.</summary>
    Task<string?> GetFileAsync(string owner, string repository, string path, string gitRef, CancellationToken cancellationToken);

    /// <summary>Checks that GitHub answers and accepts the master's credentials; the reason when it does not.</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends a workflow_dispatch. With <paramref name="returnRunDetails"/> GitHub answers the run id; a server that
    /// does not know the field (GHES before 3.21) refuses it, reported as <see cref="DispatchOutcome.RunDetailsRefused"/>
    /// with no run started. Never retried: a dispatch POST is not idempotent.
    /// </summary>
    Task<DispatchOutcome> DispatchWorkflowAsync(
        string owner, string repository, string workflowFile, string gitRef, IReadOnlyDictionary<string, string> inputs,
        bool returnRunDetails, CancellationToken cancellationToken);

    /// <summary>Sends a repository_dispatch event (no run id is ever returned). Never retried.</summary>
    Task DispatchRepositoryAsync(
        string owner, string repository, string eventType, IReadOnlyDictionary<string, string> clientPayload, CancellationToken cancellationToken);

    /// <summary>The login GitHub records as the actor of the runs this master dispatches: the App's bot (<c>slug[bot]</c>), or the token's user.</summary>
    Task<string> GetDispatcherLoginAsync(CancellationToken cancellationToken);

    /// <summary>One run by id (conditional request), or a 404 <see cref="Igor.Http.IgorException"/>.</summary>
    Task<WorkflowRunInfo> GetRunAsync(string owner, string repository, long runId, CancellationToken cancellationToken);

    /// <summary>A page of a workflow's runs, newest first.</summary>
    Task<IReadOnlyList<WorkflowRunInfo>> ListRunsAsync(string owner, string repository, string workflowFile, RunQuery query, CancellationToken cancellationToken);

    /// <summary>Asks GitHub to cancel (or force-cancel) a run; false when the run had already completed.</summary>
    Task<bool> CancelRunAsync(string owner, string repository, long runId, bool force, CancellationToken cancellationToken);

    /// <summary>Completed runs of the repository since a time, newest first (one page of at most 100).</summary>
    Task<IReadOnlyList<(string WorkflowFile, WorkflowRunInfo Run)>> ListCompletedRunsAsync(string owner, string repository, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The App's webhook deliveries since a time that did not succeed (guid and delivery id); empty for a token master.</summary>
    Task<IReadOnlyList<(long Id, string Guid)>> ListFailedDeliveriesAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Asks GitHub to deliver a delivery again (same X-GitHub-Delivery).</summary>
    Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken);

    /// <summary>Whether the team has push, maintain or admin access to the repository; false when GitHub says it has none (404).</summary>
    Task<bool> TeamCanWriteAsync(string organization, string teamSlug, string owner, string repository, CancellationToken cancellationToken);

    /// <summary>Forgets the cached repository list of the allowlist's owner/* entries.</summary>
    void ForgetRepositories();

    /// <summary>Creates a deployment (auto_merge false) and answers its id; a 409/422 from GitHub says why it was refused.</summary>
    Task<long> CreateDeploymentAsync(string owner, string repository, global::Igor.GitHubActions.Deployments.DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>The deployment of an environment and ref whose payload carries <paramref name="intent"/>, if GitHub has one.</summary>
    Task<long?> FindDeploymentAsync(string owner, string repository, string environment, string gitRef, string intent, CancellationToken cancellationToken);

    /// <summary>Adds a status to a deployment; a 404 when the deployment does not exist (any more).</summary>
    Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, global::Igor.GitHubActions.Deployments.DeploymentStatusRequest status, CancellationToken cancellationToken);

    /// <summary>The deployment's newest status (GitHub lists them newest first), or null when it has none.</summary>
    Task<global::Igor.GitHubActions.Deployments.DeploymentStatusRequest?> GetLatestDeploymentStatusAsync(string owner, string repository, long deploymentId, CancellationToken cancellationToken);

    /// <summary>Adds a commit status to a SHA.</summary>
    Task CreateCommitStatusAsync(string owner, string repository, string sha, global::Igor.GitHubActions.Deployments.CommitStatusRequest status, CancellationToken cancellationToken);

    /// <summary>Recent runs of every workflow of a repository, newest first (the CI view).</summary>
    Task<IReadOnlyList<WorkflowRunInfo>> ListRepositoryRunsAsync(string owner, string repository, RunQuery query, CancellationToken cancellationToken);

    /// <summary>The jobs of one attempt of a run, with their steps.</summary>
    Task<IReadOnlyList<WorkflowJobInfo>> ListJobsAsync(string owner, string repository, long runId, int attempt, CancellationToken cancellationToken);

    /// <summary>The artifacts a run uploaded.</summary>
    Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string owner, string repository, long runId, CancellationToken cancellationToken);

    /// <summary>
    /// A job's plain-text log, streamed: GitHub answers a 302 to a link that expires after a minute, which is
    /// followed at once, without the credentials, and never cached. The caller disposes the stream.
    /// </summary>
    Task<Stream> OpenJobLogAsync(string owner, string repository, long jobId, CancellationToken cancellationToken);

    /// <summary>An artifact's zip archive, streamed the same way; a 410 when the artifact has expired.</summary>
    Task<Stream> OpenArtifactAsync(string owner, string repository, long artifactId, CancellationToken cancellationToken);
}
