namespace Igor.GitHubActions.State;

/// <summary>An outbox message Echo refused for good (a 4xx other than 408/429, <c>Echo:MaxAttempts</c> times), kept with the reason.</summary>
internal sealed record DeadLetter(long Sequence, string Key, string Group, string Path, int Attempts, string Reason, DateTimeOffset At);
