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
}
