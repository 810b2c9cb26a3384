namespace Igor.GitHubActions.State;

/// <summary>A run number of a workflow and the run id behind it (GitHub has no lookup by run number).</summary>
internal sealed record RunRecord(string Master, string Job, int RunNumber, long RunId);
