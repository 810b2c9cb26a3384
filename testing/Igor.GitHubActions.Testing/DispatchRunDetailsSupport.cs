namespace Igor.GitHubActions.Testing;

/// <summary>How the workflow dispatch endpoint answers a request carrying <c>return_run_details</c>.</summary>
public enum DispatchRunDetailsSupport
{
    /// <summary>github.com and GHES 3.21+: 200 with the run id when <c>return_run_details</c> is true, else 204.</summary>
    Supported,

    /// <summary>Older GHES: 400 "not a permitted key"; no run is created.</summary>
    RejectedWith400,

    /// <summary>Older GHES: 422 "not a permitted key"; no run is created.</summary>
    RejectedWith422,

    /// <summary>Older GHES ignoring the key: 204 and the run is created.</summary>
    IgnoredWith204,
}
