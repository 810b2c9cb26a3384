namespace Igor.GitHubActions.Security;

/// <summary>
/// An exception as a log sink sees it after redaction: same type name, message and stack trace (inner exceptions
/// included, as <see cref="Exception.ToString"/> writes them), with secrets masked. The original is not kept reachable.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;
    private readonly string? _stackTrace;

    public RedactedException(Exception original, Func<string, string> redact)
        : base(redact(original.Message))
    {
        _text = redact(original.ToString());
        _stackTrace = original.StackTrace is { } trace ? redact(trace) : null;
        HResult = original.HResult;
        Source = original.Source;
    }

    public RedactedException()
    {
        _text = "";
    }

    public RedactedException(string message)
        : base(message)
    {
        _text = message;
    }

    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
        _text = message;
    }

    public override string? StackTrace => _stackTrace;

    public override string ToString() => _text;
}
