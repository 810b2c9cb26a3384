using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// What a finished build produced: properties (from an uploaded artifact holding the file, then from
/// <c>SPINNAKER_PROPERTY_*</c> log lines) and the run's artifacts as Igor's GenericArtifacts.
/// </summary>
internal sealed partial class GitHubActionsBuildService
{
    private const long MaxPropertyFileBytes = 10L * 1024 * 1024;


    public async Task<JsonObject> GetBuildPropertiesAsync(JobName job, int buildNumber, string fileName, CancellationToken cancellationToken)
    {
        var run = await FinishedRunAsync(job, buildNumber, cancellationToken).ConfigureAwait(false);
        var key = string.Create(CultureInfo.InvariantCulture, $"{run.Id}/{run.RunAttempt}/{fileName}");
        var properties = await _properties.GetAsync(key, ct => ReadPropertiesAsync(job, run, fileName, ct), cancellationToken).ConfigureAwait(false);
        return (JsonObject)properties.DeepClone();
    }

    /// <summary>The run of a build that has finished; a 503 while it runs, so Orca's retrying task asks again.</summary>
    private async Task<WorkflowRunInfo> FinishedRunAsync(JobName job, int buildNumber, CancellationToken cancellationToken)
    {
        await FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var runId = await FindRunIdAsync(job, buildNumber, cancellationToken).ConfigureAwait(false)
            ?? throw IgorException.NotFound($"{job} has no build {buildNumber}");
        var run = await RunAsync(job, runId, cancellationToken).ConfigureAwait(false);
        return WorkflowRunMapper.Result(run.Status, run.Conclusion, out _) is null
            ? throw IgorException.Unavailable($"build {buildNumber} of {job} is still running; its properties are read once it has finished")
            : run;
    }

    private async Task<JsonObject> ReadPropertiesAsync(JobName job, WorkflowRunInfo run, string fileName, CancellationToken cancellationToken)
    {
        var source = $"build {run.RunNumber} of {job}";
        var found = await ReadPropertyFileAsync(job, run, fileName, source, cancellationToken).ConfigureAwait(false);
        if (found is null && RecentlyFinished(run))
        {
            // Orca's GetBuildPropertiesTask retries a 503: a moment later GitHub lists the artifact that holds the file.
            throw IgorException.Unavailable(
                $"{fileName} is not in the artifacts GitHub lists for {source} yet; the run finished moments ago, and GitHub can list its uploads a little later");
        }

        var properties = found ?? [];
        var jobs = await _github.ListJobsAsync(job.Owner, job.Repository, run.Id, run.RunAttempt, cancellationToken).ConfigureAwait(false);
        foreach (var runJob in jobs.Where(j => j.Status == "completed" && j.Conclusion != "skipped"))
        {
            Stream log;
            try
            {
                log = await _github.OpenJobLogAsync(job.Owner, job.Repository, runJob.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (IgorException e) when (e.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status410Gone)
            {
                // A job that never ran on a runner, or whose log was deleted, printed nothing.
                continue;
            }

            using var reader = new StreamReader(log);
            await LogPropertyScanner.ScanAsync(reader, properties, $"the log of job '{runJob.Name}' of {source}", cancellationToken).ConfigureAwait(false);
        }

        Log.PropertiesRead(_logger, Name, job.ToString(), run.RunNumber, fileName, properties.Count);
        return properties;
    }

    /// <summary>The named file from the first artifact that holds it; null only when no artifact of the run has it.</summary>
    private async Task<JsonObject?> ReadPropertyFileAsync(JobName job, WorkflowRunInfo run, string fileName, string source, CancellationToken cancellationToken)
    {
        var artifacts = await RunArtifactsAsync(job, run, cancellationToken).ConfigureAwait(false);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var unsearched = new List<string>();
        foreach (var artifact in artifacts.OrderBy(a => a.Name == fileName || a.Name == stem ? 0 : 1))
        {
            if (artifact.Expired)
            {
                unsearched.Add($"'{artifact.Name}' has expired");
                continue;
            }

            if (artifact.SizeInBytes > _options.MaxArtifactBytes)
            {
                unsearched.Add($"'{artifact.Name}' is {artifact.SizeInBytes} bytes, over GitHub:MaxArtifactBytes ({_options.MaxArtifactBytes})");
                continue;
            }

            await using var zip = await DownloadArtifactAsync(job, artifact, cancellationToken).ConfigureAwait(false);
            ZipArchive archive;
            try
            {
                archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException)
            {
                throw IgorException.BadGateway($"artifact '{artifact.Name}' of {source} is not a zip archive");
            }

            using (archive)
            {
                var entry = archive.Entries.Where(e => e.Name == fileName).OrderBy(e => e.FullName.Length).FirstOrDefault();
                if (entry is null)
                {
                    continue;
                }

                if (entry.Length > MaxPropertyFileBytes)
                {
                    throw IgorException.Unprocessable($"{entry.FullName} in artifact '{artifact.Name}' of {source} is {entry.Length} bytes; a property file may have {MaxPropertyFileBytes}");
                }

                await using var content = entry.Open();
                return PropertyFileParser.Parse(fileName, content, $"artifact '{artifact.Name}' of {source}");
            }
        }

        // "{}" would tell Orca the file is absent: say instead why it could not be searched for.
        return unsearched.Count == 0
            ? null
            : throw IgorException.Unprocessable($"{fileName} was not found in the readable artifacts of {source}, and these were not searched: {string.Join("; ", unsearched)}");
    }

    /// <summary>The zip in a temporary file (ZipArchive needs to seek), refused once over the configured cap.</summary>
    private async Task<FileStream> DownloadArtifactAsync(JobName job, ArtifactInfo artifact, CancellationToken cancellationToken)
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

    /// <summary>
    /// A finished run's artifacts, listed once per attempt; nothing while it runs (uploads are not final). GitHub can list
    /// a run's artifacts a little after the run completes, so for a run that finished moments ago a listing is kept a few
    /// seconds only (one read shared by every caller), and the hour-long entry is made once the listing has settled.
    /// </summary>
    private async Task<IReadOnlyList<ArtifactInfo>> RunArtifactsAsync(JobName job, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        if (run.Status != "completed")
        {
            return [];
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"{run.Id}/{run.RunAttempt}");
        return await (RecentlyFinished(run) ? _earlyArtifacts : _artifacts).GetAsync(
            key, ct => _github.ListArtifactsAsync(job.Owner, job.Repository, run.Id, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a run finished so recently that GitHub may not list all it uploaded yet.</summary>
    private bool RecentlyFinished(WorkflowRunInfo run) => run.Status == "completed" && _time.GetUtcNow() - run.UpdatedAt < _options.ArtifactSettleTime;



    /// <summary>The run's uploaded artifacts as Jenkins-style archived files (Orca needs fileName and relativePath).</summary>
    private async Task<IReadOnlyList<GenericArtifact>> GenericArtifactsAsync(JobName job, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        var artifacts = await RunArtifactsAsync(job, run, cancellationToken).ConfigureAwait(false);
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

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Information, "Master {Master}: properties of build {BuildNumber} of {Job} for {FileName}: {Count} keys")]
        public static partial void PropertiesRead(ILogger logger, string master, string job, int buildNumber, string fileName, int count);

        [LoggerMessage(102, LogLevel.Warning, "Master {Master}: the log of job {JobId} of run {RunId} could not be read: {Reason}")]
        public static partial void JobLogUnreadable(ILogger logger, string master, long runId, long jobId, string reason);

        [LoggerMessage(103, LogLevel.Warning, "Master {Master}: the artifacts of run {RunId} of {Job} could not be listed: {Reason}")]
        public static partial void ArtifactsUnlisted(ILogger logger, string master, string job, long runId, string reason);
    }
}
