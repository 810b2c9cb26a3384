namespace Igor.GitHubActions.Setup;

/// <summary>The setup form's fields as typed, shown again with an error.</summary>
internal sealed record SetupForm(string GitHub, string Organization, string PublicUrl, string Master, string Repositories, bool RepositoryDispatch);
