using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Runs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.GitHub.Outputs;

/// <summary>
/// What a finished build produced, as Igor's build properties: the named file from an uploaded artifact that holds it,
/// then <c>SPINNAKER_PROPERTY_*</c> log lines; read once per run attempt and file, and a 503 while the build runs (Orca's
/// task retries it).
/// </summary>
internal sealed partial class BuildPropertiesReader(
    string master, GitHubOptions options, IGitHubActionsClient github, Jobs.WorkflowCatalog catalog, Runs.RunReader runs, RunArtifacts artifacts,
    TimeProvider time, ILogger<BuildPropertiesReader> logger) : IBuildProperties
{
    private const long MaxPropertyFileBytes = 10L * 1024 * 1024;

    // Keyed by run id, attempt and file: what a finished attempt uploaded and printed never changes.
    private readonly SharedCache<JsonObject> _properties = new(time, () => TimeSpan.FromHours(1), capacity: 1_000);

    public string Name => master;

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
        await catalog.FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var runId = await runs.FindRunIdAsync(job, buildNumber, cancellationToken).ConfigureAwait(false)
            ?? throw IgorException.NotFound($"{job} has no build {buildNumber}");
        var run = await runs.GetAsync(job, runId, cancellationToken).ConfigureAwait(false);
        return WorkflowRunMapper.Result(run.Status, run.Conclusion, out _) is null
            ? throw IgorException.Unavailable($"build {buildNumber} of {job} is still running; its properties are read once it has finished")
            : run;
    }

    private async Task<JsonObject> ReadPropertiesAsync(JobName job, WorkflowRunInfo run, string fileName, CancellationToken cancellationToken)
    {
        var source = $"build {run.RunNumber} of {job}";
        var found = await ReadPropertyFileAsync(job, run, fileName, source, cancellationToken).ConfigureAwait(false);
        if (found is null && artifacts.RecentlyFinished(run))
        {
            // Orca's GetBuildPropertiesTask retries a 503: a moment later GitHub lists the artifact that holds the file.
            throw IgorException.Unavailable(
                $"{fileName} is not in the artifacts GitHub lists for {source} yet; the run finished moments ago, and GitHub can list its uploads a little later");
        }

        var properties = found ?? [];
        var jobs = await github.ListJobsAsync(job.Owner, job.Repository, run.Id, run.RunAttempt, cancellationToken).ConfigureAwait(false);
        foreach (var runJob in jobs.Where(j => j.Status == "completed" && j.Conclusion != "skipped"))
        {
            Stream log;
            try
            {
                log = await github.OpenJobLogAsync(job.Owner, job.Repository, runJob.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (GitHubException e) when (e.Kind is GitHubFailureKind.NotFound)
            {
                // A job that never ran on a runner, or whose log was deleted, printed nothing.
                continue;
            }

            using var reader = new StreamReader(log);
            await LogPropertyScanner.ScanAsync(reader, properties, $"the log of job '{runJob.Name}' of {source}", cancellationToken).ConfigureAwait(false);
        }

        Log.PropertiesRead(logger, master, job.ToString(), run.RunNumber, fileName, properties.Count);
        return properties;
    }

    /// <summary>The named file from the first artifact that holds it; null only when no artifact of the run has it.</summary>
    private async Task<JsonObject?> ReadPropertyFileAsync(JobName job, WorkflowRunInfo run, string fileName, string source, CancellationToken cancellationToken)
    {
        var listed = await artifacts.ListAsync(job, run, cancellationToken).ConfigureAwait(false);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var unsearched = new List<string>();
        foreach (var artifact in listed.OrderBy(a => a.Name == fileName || a.Name == stem ? 0 : 1))
        {
            if (artifact.Expired)
            {
                unsearched.Add($"'{artifact.Name}' has expired");
                continue;
            }

            if (artifact.SizeInBytes > options.MaxArtifactBytes)
            {
                unsearched.Add($"'{artifact.Name}' is {artifact.SizeInBytes} bytes, over GitHub:MaxArtifactBytes ({options.MaxArtifactBytes})");
                continue;
            }

            await using var zip = await artifacts.DownloadAsync(job, artifact, cancellationToken).ConfigureAwait(false);
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

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Information, "Master {Master}: properties of build {BuildNumber} of {Job} for {FileName}: {Count} keys")]
        public static partial void PropertiesRead(ILogger logger, string master, string job, int buildNumber, string fileName, int count);
    }
}
