namespace Igor.GitHubActions.Testing.State;

/// <summary>Kinds of ids; each starts in its own range so that mixing them up is caught. Runs start above 2^31.</summary>
internal enum IdKind
{
    Repository,
    Workflow,
    Run,
    Job,
    Artifact,
    Deployment,
    DeploymentStatus,
    CommitStatus,
    CheckSuite,
    Installation,
    Account,
    Delivery,
}
