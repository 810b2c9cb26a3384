namespace Igor.GitHubActions.Deployments;

/// <summary>The GitHub deployment state written for each pipeline outcome; an empty value writes nothing for it.</summary>
internal sealed class DeploymentStateMapping
{
    public static readonly string[] GitHubStates = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

    [GitHubDeploymentState]
    public string Starting { get; set; } = "in_progress";

    [GitHubDeploymentState]
    public string Succeeded { get; set; } = "success";

    /// <summary>A pipeline that failed or ended TERMINAL (or was stopped).</summary>
    [GitHubDeploymentState]
    public string Failed { get; set; } = "failure";

    [GitHubDeploymentState]
    public string Canceled { get; set; } = "error";

    public string For(PipelineOutcome outcome) => outcome switch
    {
        PipelineOutcome.Starting => Starting,
        PipelineOutcome.Succeeded => Succeeded,
        PipelineOutcome.Failed => Failed,
        PipelineOutcome.Canceled => Canceled,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown pipeline outcome"),
    };
}
