try
{
    await Igor.GitHubActions.IgorGitHubActionsHost.RunAsync(args);
}
catch (InvalidOperationException e) when (e.InnerException is IOException)
{
    // The port is taken (the message says which and how to choose another): one line, not a stack trace.
    Console.Error.WriteLine(e.Message);
    return 1;
}

return 0;
