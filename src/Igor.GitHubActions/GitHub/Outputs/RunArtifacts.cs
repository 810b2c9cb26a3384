using System.Globalization;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.GitHub.Outputs;

/// <summary>
/// A finished run's artifacts, listed once per attempt; nothing while it runs (uploads are not final). GitHub can list a
/// run's artifacts a little after the run completes, so for a run that finished moments ago a listing is kept a few
/// seconds only (one read shared by every caller), and the hour-long entry is made once the listing has settled.
/// </summary>
internal sealed partial class RunArtifacts
{
    private readonly string _master;
    private readonly GitHubOptions _options;
    private readonly IGitHubActionsClient _github;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Keyed by run id and attempt: what a finished attempt uploaded never changes.
    private readonly SharedCache<IReadOnlyList<ArtifactInfo>> _settled;
    private readonly SharedCache<IReadOnlyList<ArtifactInfo>> _early;

    public RunArtifacts(string master, GitHubOptions options, IGitHubActionsClient github, TimeProvider time, ILogger<RunArtifacts> logger)
    {
        _master = master;
        _options = options;
        _github = github;
        _time = time;
        _logger = logger;
        _settled = new SharedCache<IReadOnlyList<ArtifactInfo>>(time, () => TimeSpan.FromHours(1));
        _early = new SharedCache<IReadOnlyList<ArtifactInfo>>(time, () => TimeSpan.FromSeconds(5));
    }

    public async Task<IReadOnlyList<ArtifactInfo>> ListAsync(JobName job, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        if (run.Status != "completed")
        {
            return [];
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"{run.Id}/{run.RunAttempt}");
        return await (RecentlyFinished(run) ? _early : _settled).GetAsync(
            key, ct => _github.ListArtifactsAsync(job.Owner, job.Repository, run.Id, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a run finished so recently that GitHub may not list all it uploaded yet.</summary>
    public bool RecentlyFinished(WorkflowRunInfo run) => run.Status == "completed" && _time.GetUtcNow() - run.UpdatedAt < _options.ArtifactSettleTime;

    /// <summary>The run's uploaded artifacts as Jenkins-style archived files (Orca needs fileName and relativePath).</summary>
    public async Task<IReadOnlyList<GenericArtifact>> GenericAsync(JobName job, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        var artifacts = await ListAsync(job, run, cancellationToken).ConfigureAwait(false);
        var runUrl = run.HtmlUrl.TrimEnd('/');
        return artifacts.Where(a => !a.Expired).Select(a => new GenericArtifact
        {
            FileName = a.Name,
            DisplayPath = string.Create(CultureInfo.InvariantCulture, $"{runUrl}/artifacts/{a.Id}"),
            RelativePath = a.Name,
            Reference = a.Name,
            Name = job.ToString(),
            Type = "jenkins/file",
            Version = run.RunNumber.ToString(CultureInfo.InvariantCulture),
            Url = string.Create(CultureInfo.InvariantCulture, $"{runUrl}/artifacts/{a.Id}"),
        }).ToArray();
    }

    /// <summary>The artifacts decorate a build; a failure to list them leaves the list empty rather than failing the poll.</summary>
    public async Task<IReadOnlyList<GenericArtifact>> TryGenericAsync(JobName job, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        try
        {
            return await GenericAsync(job, run, cancellationToken).ConfigureAwait(false);
        }
        catch (IgorException e)
        {
            Log.ArtifactsUnlisted(_logger, _master, job.ToString(), run.Id, e.Message);
            return [];
        }
    }

    /// <summary>The zip in a temporary file (ZipArchive needs to seek), refused once over the configured cap.</summary>
    public async Task<FileStream> DownloadAsync(JobName job, ArtifactInfo artifact, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var download = await _github.OpenArtifactAsync(job.Owner, job.Repository, artifact.Id, cancellationToken).ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await download.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (file.Length + read > _options.MaxArtifactBytes)
                    {
                        throw IgorException.Unprocessable($"artifact '{artifact.Name}' of {job} is over GitHub:MaxArtifactBytes ({_options.MaxArtifactBytes} bytes)");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(103, LogLevel.Warning, "Master {Master}: the artifacts of run {RunId} of {Job} could not be listed: {Reason}")]
        public static partial void ArtifactsUnlisted(ILogger logger, string master, string job, long runId, string reason);
    }
}
