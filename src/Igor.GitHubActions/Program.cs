var app = Igor.GitHubActions.IgorGitHubActionsHost.Build(args);
app.Run();
