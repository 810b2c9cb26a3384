using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.GitHub.Jobs;

/// <summary>
/// One master's jobs: the allowlist, the repositories and workflows it admits, and each workflow's definition at a ref,
/// cached (listings are refreshed ten times less often while the rate limit is down to its reserve).
/// </summary>
internal sealed partial class WorkflowCatalog
{
    private readonly MasterOptions _master;
    private readonly RepositoryAllowlist _allowlist;
    private readonly IGitHubActionsClient _github;
    private readonly ILogger _logger;
    private readonly SharedCache<WorkflowFile> _files;

    public WorkflowCatalog(MasterOptions master, GitHubOptions options, IGitHubActionsClient github, TimeProvider time, RateLimitTracker rateLimits, ILogger logger)
    {
        _master = master;
        _allowlist = new RepositoryAllowlist(master.Repositories);
        _github = github;
        _logger = logger;
        _files = new SharedCache<WorkflowFile>(time, () => options.WorkflowCacheDuration * (rateLimits.IsLow(master.Name) ? 10 : 1));
    }

    public Task<RepositoryInfo> RepositoryAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _github.GetRepositoryAsync(owner, repository, cancellationToken);

    /// <summary>The repository and workflow of a job, or a 404 naming what is missing (the allowlist, the file).</summary>
    public async Task<(RepositoryInfo Repository, WorkflowInfo Workflow)> FindWorkflowAsync(JobName job, CancellationToken cancellationToken)
    {
        if (!await IsAllowedAsync(job, cancellationToken).ConfigureAwait(false))
        {
            throw IgorException.NotFound($"'{job}' is not a job of master '{_master.Name}': {job.FullRepository} is not in its repository allowlist");
        }

        var repository = await RepositoryAsync(job.Owner, job.Repository, cancellationToken).ConfigureAwait(false);
        var workflows = await WorkflowsAsync(job.Owner, job.Repository, cancellationToken).ConfigureAwait(false);
        var workflow = workflows.FirstOrDefault(w => string.Equals(w.FileName, job.WorkflowFile, StringComparison.Ordinal))
            ?? throw IgorException.NotFound($"{job.FullRepository} has no workflow {WorkflowInfo.WorkflowDirectory}{job.WorkflowFile}");
        return (repository, workflow);
    }

    public Task<bool> IsAllowedAsync(JobName job, CancellationToken cancellationToken) =>
        _allowlist.AdmitsAsync(job.Owner, job.Repository, _github.ListRepositoriesAsync, cancellationToken);

    /// <summary>Whether the master may act on the repository (see <see cref="RepositoryAllowlist.AdmitsAsync"/>).</summary>
    public Task<bool> IsAllowedAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _allowlist.AdmitsAsync(owner, repository, _github.ListRepositoriesAsync, cancellationToken);

    /// <summary>The workflow file parsed at a ref, or a 422 saying why it cannot be read.</summary>
    public async Task<WorkflowDefinition> DefinitionAsync(JobName job, string gitRef, WorkflowInfo workflow, CancellationToken cancellationToken)
    {
        var file = await WorkflowFileAsync(job, gitRef, cancellationToken).ConfigureAwait(false);
        return file.Definition ?? throw IgorException.Unprocessable(
            $"{workflow.Path} of {job.FullRepository} at {gitRef} cannot be read: {file.Error}");
    }

    public Task<IReadOnlyList<WorkflowInfo>> WorkflowsAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _github.ListWorkflowsAsync(owner, repository, cancellationToken);

    /// <summary>Forgets parsed workflow files after a push may have changed them (the client forgets its listings).</summary>
    public void Forget() => _files.Clear();

    private ValueTask<WorkflowFile> WorkflowFileAsync(JobName job, string gitRef, CancellationToken cancellationToken) =>
        _files.GetAsync($"{job}@{gitRef}", async ct =>
        {
            var path = WorkflowInfo.WorkflowDirectory + job.WorkflowFile;
            var yaml = await _github.GetFileAsync(job.Owner, job.Repository, path, gitRef, ct).ConfigureAwait(false)
                ?? throw IgorException.NotFound($"{path} does not exist at {gitRef} in {job.FullRepository}");
            try
            {
                return new WorkflowFile(WorkflowYamlParser.Parse(yaml), null);
            }
            catch (WorkflowYamlException e)
            {
                Log.WorkflowUnreadable(_logger, _master.Name, job.ToString(), gitRef, e.Message);
                return new WorkflowFile(null, e.Message);
            }
        }, cancellationToken);

    private sealed record WorkflowFile(WorkflowDefinition? Definition, string? Error);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Master {Master}: workflow {Job} at {Ref} cannot be read: {Reason}")]
        public static partial void WorkflowUnreadable(ILogger logger, string master, string job, string @ref, string reason);
    }
}
