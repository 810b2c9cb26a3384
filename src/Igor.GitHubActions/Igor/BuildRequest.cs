namespace Igor.GitHubActions.Igor;

/// <summary>What Orca's start call carries: the parameters, the execution and the stage start time.</summary>
/// <param name="Parameters">The job parameters from the query string.</param>
/// <param name="ExecutionId">
/// <c>X-SPINNAKER-EXECUTION-ID</c> as sent: <c>executionId:stageId:taskId</c> on Orca's task calls
/// (<c>ExecutionTrackingMessageHandlerPostProcessor</c>), a bare execution id from older callers.
/// </param>
/// <param name="StartTime">The stage's start time Orca sends as the body.</param>
internal sealed record BuildRequest(IReadOnlyDictionary<string, string> Parameters, string? ExecutionId, string StartTime)
{
    /// <summary>The pipeline execution's id: the header's first part.</summary>
    public string? PipelineExecutionId => SpinnakerExecution.IdOf(ExecutionId);
}

/// <summary>Reads Orca's <c>X-SPINNAKER-EXECUTION-ID</c>.</summary>
internal static class SpinnakerExecution
{
    /// <summary>The execution id of a header value <c>executionId[:stageId[:taskId]]</c>; null when there is none.</summary>
    public static string? IdOf(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var colon = header.IndexOf(':', StringComparison.Ordinal);
        var id = (colon >= 0 ? header[..colon] : header).Trim();
        return id.Length > 0 ? id : null;
    }
}
