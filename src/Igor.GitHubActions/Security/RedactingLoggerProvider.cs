namespace Igor.GitHubActions.Security;

/// <summary>
/// Wraps every logging provider so that nothing reaches a log sink unredacted: the formatted message, each structured
/// value and the exception text (message and stack trace, inner exceptions included) pass through the
/// <see cref="SecretRedactor"/>. Whatever a background worker or a library logs, a key or token in it is masked.
/// </summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, Func<Func<string, string>> redaction) : ILoggerProvider, ISupportExternalScope
{
    private readonly Lazy<Func<string, string>> _redact = new(redaction);

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    private string Redact(string text) => _redact.Value(text);

    private sealed class RedactingLogger(ILogger inner, RedactingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = provider.Redact(formatter(state, exception));
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value is string s ? provider.Redact(s) : p.Value)).ToArray()
                : [];
            var redacted = exception is null ? null : new RedactedException(exception, provider.Redact);
            inner.Log(logLevel, eventId, new RedactedState(message, values), redacted, static (s, _) => s.Message);
        }
    }

    /// <summary>The structured values of a log entry after redaction; <c>{OriginalFormat}</c> stays for sinks that group by it.</summary>
    private sealed class RedactedState(string message, KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Length;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => values.GetEnumerator();

        public override string ToString() => message;
    }
}
