namespace Igor.GitHubActions.Logs;

/// <summary>A job of a run: its state, its steps, and whether it failed (its section opens on the log page).</summary>
internal sealed record JobLogView(long Id, string Name, string Status, string? Conclusion, string HtmlUrl, IReadOnlyList<StepLogView> Steps)
{
    public bool Completed => Status == "completed";

    public bool Failed => Conclusion is "failure" or "timed_out" or "cancelled" or "startup_failure";
}
