namespace Igor.GitHubActions.Testing;

/// <summary>
/// The sample organisation the tests, the README and the demo host share: acme/api with a deploy, a build, a
/// release (repository_dispatch) and a CI workflow, and acme/web with a pages workflow.
/// </summary>
public static class SampleSeed
{
    public const string Owner = "acme";

    public static (SimulatedRepository Api, SimulatedRepository Web) Seed(GitHubSimulator gitHub)
    {
        var api = gitHub.AddRepository(Owner, "api");
        var web = gitHub.AddRepository(Owner, "web", defaultBranch: "trunk");
        api.AddWorkflow("deploy.yml", SampleWorkflows.Deploy);
        api.AddWorkflow("build.yml", SampleWorkflows.Build);
        api.AddWorkflow("release.yml", SampleWorkflows.Release);
        api.AddWorkflow("ci.yml", SampleWorkflows.PushOnly);
        api.AddBranch("feature/x");
        api.AddTag("v1.0.0");
        web.AddWorkflow("pages.yml", SampleWorkflows.Build);
        return (api, web);
    }
}
