using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Contracts.Jobs;

namespace Igor.GitHubActions.Igor;

/// <summary>One build master as Spinnaker sees it (Igor's BuildOperations); GitHub stays behind it.</summary>
internal interface IBuildService
{
    /// <summary>The master's name in Spinnaker.</summary>
    string Name { get; }

    /// <summary>Fiat permissions of the master (READ, WRITE) as configured.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> Permissions { get; }

    /// <summary>Every job of the master, sorted.</summary>
    Task<IReadOnlyList<string>> GetJobsAsync(CancellationToken cancellationToken);

    /// <summary>The job's configuration with its parameters; 404 when the job is not the master's.</summary>
    Task<JobConfiguration> GetJobConfigAsync(JobName job, CancellationToken cancellationToken);

    /// <summary>Null when the master reaches GitHub with valid credentials, else the reason.</summary>
    Task<string?> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>Starts the job once per request identity and answers its queue id (idempotent for Orca's retries).</summary>
    Task<long> StartBuildAsync(JobName job, BuildRequest request, CancellationToken cancellationToken);

    /// <summary>The build number once the queue item's run is known; a 410 for a queue id never issued or failed.</summary>
    Task<QueuedBuild> GetQueuedBuildAsync(long queueId, CancellationToken cancellationToken);

    /// <summary>One build of the job by number; a 404 when there is none.</summary>
    Task<GenericBuild> GetBuildAsync(JobName job, int buildNumber, CancellationToken cancellationToken);

    /// <summary>The recent builds of the job, newest first.</summary>
    Task<IReadOnlyList<GenericBuild>> GetBuildsAsync(JobName job, CancellationToken cancellationToken);

    /// <summary>Stops a queued or running build; a finished one is left alone.</summary>
    Task StopBuildAsync(JobName? job, long queueId, int buildNumber, CancellationToken cancellationToken);
}
