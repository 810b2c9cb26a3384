namespace Igor.GitHubActions.Igor.Http;

/// <summary>
/// A failure with the HTTP status Spinnaker must see. Orca's task queue retries network errors, 429, 502, 503 and 504
/// on every Jenkins-stage call (its monitors 404 and 500 too) until the task's timeout, and fails the stage at once on
/// other 4xx, so the status is chosen for what the caller should do, not only for what went wrong.
/// </summary>
internal class IgorException(int statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    public static IgorException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static IgorException Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);

    public static IgorException NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static IgorException Conflict(string message) => new(StatusCodes.Status409Conflict, message);

    public static IgorException Gone(string message) => new(StatusCodes.Status410Gone, message);

    public static IgorException Unprocessable(string message) => new(StatusCodes.Status422UnprocessableEntity, message);

    public static IgorException BadGateway(string message, Exception? inner = null) => new(StatusCodes.Status502BadGateway, message, inner);

    public static IgorException Unavailable(string message, Exception? inner = null) => new(StatusCodes.Status503ServiceUnavailable, message, inner);
}
