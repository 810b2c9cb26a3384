namespace Igor.GitHubActions.State;

/// <summary>Where a start request is.</summary>
internal enum QueueItemState
{
    /// <summary>Issued; the dispatch POST is being sent by the replica holding the lease.</summary>
    Dispatching = 0,

    /// <summary>GitHub accepted the dispatch; the run is not known yet (correlation pending).</summary>
    Dispatched = 1,

    /// <summary>The run id (and number) is known.</summary>
    Resolved = 2,

    /// <summary>GitHub refused the dispatch, or the run could not be found; the error is kept.</summary>
    Failed = 3,
}
