namespace Igor.GitHubActions.Testing;

/// <summary>Workflow files the scenarios install in the simulated repositories.</summary>
public static class SampleWorkflows
{
    /// <summary>workflow_dispatch with one input of each type, and the run-name line that lets dispatches be correlated.</summary>
    public const string Deploy = """
        name: Deploy
        run-name: ${{ inputs.spinnaker_dispatch_id || 'Deploy' }}
        on:
          workflow_dispatch:
            inputs:
              environment:
                description: Target environment
                type: choice
                options: [staging, production]
                default: staging
              dry_run:
                description: Only print what would change
                type: boolean
                default: false
              version:
                description: Version to deploy
                required: true
              replicas:
                type: number
                default: 2
              target:
                type: environment
              spinnaker_dispatch_id:
                description: Set by Spinnaker
                required: false
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: echo deploy
        """;

    /// <summary>workflow_dispatch without the correlation input: fine where GitHub returns run ids.</summary>
    public const string Build = """
        name: Build
        on:
          push:
          workflow_dispatch:
            inputs:
              flavour:
                type: string
                default: plain
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: echo build
        """;

    /// <summary>Started only by repository_dispatch, reading two client_payload keys.</summary>
    public const string Release = """
        name: Release
        run-name: Release ${{ github.event.client_payload.spinnaker_dispatch_id }}
        on:
          repository_dispatch:
            types: [release]
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - run: echo ${{ github.event.client_payload.version }} ${{ github.event.client_payload['channel'] }}
        """;

    /// <summary>A workflow that cannot be started from Spinnaker.</summary>
    public const string PushOnly = """
        name: CI
        on: [push, pull_request]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: echo test
        """;

    public const string Malformed = """
        name: Broken
        on:
          workflow_dispatch:
            inputs:
              a: [unclosed
        """;
}
