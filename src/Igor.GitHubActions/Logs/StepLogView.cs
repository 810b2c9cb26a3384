namespace Igor.GitHubActions.Logs;

/// <summary>A step of a job.</summary>
internal sealed record StepLogView(int Number, string Name, string Status, string? Conclusion)
{
    public bool Failed => Conclusion is "failure" or "timed_out" or "cancelled";
}
