namespace Igor.GitHubActions.Testing;

/// <summary>One request the simulator received, with the status code it answered (0 when the connection was aborted).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path as received, including an <c>/api/v3</c> prefix if the client used one.</param>
/// <param name="QueryString">Query string including the leading <c>?</c>, or empty.</param>
/// <param name="Headers">Request headers (case-insensitive names; repeated values joined with ", ").</param>
/// <param name="Body">Request body as UTF-8 text.</param>
/// <param name="StatusCode">Response status code.</param>
/// <param name="At">When the request arrived (simulator clock).</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int StatusCode,
    DateTimeOffset At)
{
    /// <summary>The path without an <c>/api/v3</c> prefix.</summary>
    public string ApiPath => Path.StartsWith("/api/v3/", StringComparison.OrdinalIgnoreCase) ? Path[7..] : Path;

    /// <summary>Whether an <c>Authorization</c> header was sent.</summary>
    public bool HasAuthorization => Headers.ContainsKey("Authorization");

    /// <summary>The value of a header, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
