namespace Igor.GitHubActions.Setup;

/// <summary>The code conversion did not give an App; the message says why and what to do, for the page.</summary>
internal sealed class SetupException(string message, Exception? inner = null) : Exception(message, inner);
