namespace Igor.GitHubActions.Igor.Queue;

/// <summary>
/// Where a start request is in the dispatch state machine: <c>Claimed → Sending → Sent → Resolved</c>, or <c>Failed</c>.
/// Each state is written before the step it names is taken (write-ahead), so a crash anywhere leaves a state that says
/// what may have happened on GitHub. The numbers are stored; they never change meaning.
/// </summary>
internal enum QueueItemState
{
    /// <summary>Issued to one request, which holds the lease; nothing has been sent to GitHub.</summary>
    Claimed = 0,

    /// <summary>GitHub answered the dispatch with a 2xx; the run may not be known yet (correlation pending).</summary>
    Sent = 1,

    /// <summary>The run id and number are known.</summary>
    Resolved = 2,

    /// <summary>GitHub refused the dispatch, or its run could not be found; the status and message are kept.</summary>
    Failed = 3,

    /// <summary>
    /// The dispatch POST may have left. While the lease is live its sender is waiting for the answer; once the lease is
    /// released or expired the outcome is unknown, and the item is resolved by finding its run, never by sending again
    /// until a grace period has shown that GitHub has no such run.
    /// </summary>
    Sending = 4,
}
