namespace Igor.GitHubActions.State;

/// <summary>
/// The latest state of a run as a webhook told it (opaque JSON), ordered by attempt, status rank and update time, so a
/// late or repeated delivery never moves a run backwards.
/// </summary>
internal sealed record RunSnapshot(long RunId, string Json, int Attempt, int StatusRank, DateTimeOffset UpdatedAt, DateTimeOffset ReceivedAt);
