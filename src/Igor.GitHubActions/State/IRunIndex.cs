namespace Igor.GitHubActions.State;

/// <summary>Run number → run id of each job, for Igor's build-number calls on any replica.</summary>
internal interface IRunIndex
{
    /// <summary>Records run number → run id; re-recording the same pair is harmless.</summary>
    Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken);

    /// <summary>The run id of a run number of a job, when known.</summary>
    Task<long?> FindRunIdAsync(string master, string job, int runNumber, CancellationToken cancellationToken);
}
