namespace Igor.GitHubActions.DemoHost;

/// <summary>The demo's own workflow besides the sample organisation's: one that fails when asked to.</summary>
internal static class DemoWorkflows
{
    public const string Test = """
        name: Test
        on:
          workflow_dispatch:
            inputs:
              suite:
                description: Which tests to run
                type: choice
                options: [unit, integration]
                default: unit
              fail:
                description: Make a test fail (the demo's runner obeys)
                type: boolean
                default: false
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: make build
          test:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - run: make test SUITE=${{ inputs.suite }}
        """;
}
