using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Contracts;
using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.GitHub.Jobs;

namespace Igor.GitHubActions.Tests.GitHub;

/// <summary>
/// Workflow inputs as Jenkins parameter definitions, as Deck's Jenkins stage reads them: the expectations are Jenkins'
/// class names (<c>hudson.model.*ParameterDefinition</c>, by their simple names as Igor serves them) and the parameter
/// names the README documents, never the service's own constants.
/// </summary>
public sealed class JobParametersTests
{
    private static WorkflowDefinition Dispatch(params WorkflowInput[] inputs) =>
        new(null, null, HasWorkflowDispatch: true, inputs, HasRepositoryDispatch: false, [], []);

    private static WorkflowInput Input(string name, string type, string? defaultValue = null, bool required = false,
        string? description = null, params string[] options) =>
        new(name, type, description, required, defaultValue, options);

    private static ParameterDefinition Single(WorkflowInput input) =>
        JobParameters.For(Dispatch(input), "main").Should().HaveCount(2).And.Subject.First();

    [TestCase("true", "true")]
    [TestCase("True", "true")]
    [TestCase("false", "false")]
    [TestCase(null, "false")]
    [TestCase("yes", "false")]
    public void For_BooleanInput_BooleanDefinitionWithTrueOrFalse(string? defaultValue, string expected)
    {
        // Act
        var parameter = Single(Input("dry_run", "boolean", defaultValue));

        // Assert
        parameter.Type.Should().Be("BooleanParameterDefinition");
        parameter.DefaultValue.Should().Be(expected);
        parameter.DefaultParameterValue.Should().Be(new DefaultParameterValue { Name = "dry_run", Value = expected });
        parameter.Choices.Should().BeNull();
    }

    [Test]
    public void For_ChoiceInputWithDefault_ChoiceDefinitionWithDefault()
    {
        // Act
        var parameter = Single(Input("region", "choice", "us-east-1", options: ["eu-west-1", "us-east-1"]));

        // Assert
        parameter.Type.Should().Be("ChoiceParameterDefinition");
        parameter.Choices.Should().Equal("eu-west-1", "us-east-1");
        parameter.DefaultValue.Should().Be("us-east-1");
        parameter.DefaultParameterValue!.Value.Should().Be("us-east-1");
    }

    [Test]
    public void For_ChoiceInputWithoutDefault_FirstOptionIsDefault()
    {
        // Act
        var parameter = Single(Input("region", "choice", options: ["eu-west-1", "us-east-1"]));

        // Assert
        parameter.Type.Should().Be("ChoiceParameterDefinition");
        parameter.DefaultValue.Should().Be("eu-west-1");
    }

    [Test]
    public void For_ChoiceInputWithoutOptions_NullDefault()
    {
        // Act
        var parameter = Single(Input("region", "choice"));

        // Assert
        parameter.Type.Should().Be("ChoiceParameterDefinition");
        parameter.DefaultValue.Should().BeNull();
        parameter.Choices.Should().BeEmpty();
    }

    [TestCase("string", "Version", "Version")]
    [TestCase("number", "Replicas", "Replicas (a number)")]
    [TestCase("number", null, "(a number)")]
    [TestCase("environment", "Target", "Target (an environment name)")]
    [TestCase("environment", "", "(an environment name)")]
    public void For_TextLikeInput_StringDefinition(string type, string? description, string expectedDescription)
    {
        // Act
        var parameter = Single(Input("x", type, "d", description: description));

        // Assert
        parameter.Type.Should().Be("StringParameterDefinition");
        parameter.DefaultValue.Should().Be("d");
        parameter.Description.Should().Be(expectedDescription);
        parameter.Choices.Should().BeNull();
    }

    [TestCase(" Version to build ", "Version to build (required)")]
    [TestCase(null, "(required)")]
    public void For_RequiredInput_DescriptionMarkedRequired(string? description, string expected)
    {
        // Act
        var parameter = Single(Input("version", "string", required: true, description: description));

        // Assert
        parameter.Description.Should().Be(expected);
    }

    [Test]
    public void For_RequiredNumberInput_BothMarks()
    {
        // Act
        var parameter = Single(Input("replicas", "number", required: true, description: "Replicas"));

        // Assert
        parameter.Description.Should().Be("Replicas (required) (a number)");
    }

    [Test]
    public void For_OptionalInput_DescriptionUnmarked()
    {
        // Act
        var parameter = Single(Input("version", "string", description: "Version"));

        // Assert
        parameter.Description.Should().Be("Version");
        parameter.Name.Should().Be("version");
        parameter.DefaultName.Should().Be("version");
    }

    [Test]
    public void For_WorkflowDispatch_RefParameterLastWithDefaultBranch()
    {
        // Act
        var parameters = JobParameters.For(Dispatch(Input("a", "string"), Input("b", "string")), "develop");

        // Assert
        parameters.Select(p => p.Name).Should().Equal("a", "b", "github.ref");
        var reference = parameters[^1];
        reference.Name.Should().Be("github.ref");
        reference.Type.Should().Be("StringParameterDefinition");
        reference.DefaultValue.Should().Be("develop");
        reference.DefaultParameterValue!.Value.Should().Be("develop");
        reference.Description.Should().Contain("develop");
    }

    [Test]
    public void For_DispatchIdInput_Hidden()
    {
        // Act
        var parameters = JobParameters.For(Dispatch(Input("spinnaker_dispatch_id", "string"), Input("version", "string")), "main");

        // Assert
        parameters.Select(p => p.Name).Should().Equal("version", "github.ref");
    }

    [Test]
    public void For_RepositoryDispatchOnly_ClientPayloadKeysAndEventType()
    {
        // Arrange
        var workflow = new WorkflowDefinition(null, null, false, [], true, ["deploy"], ["bar", "foo", "spinnaker_dispatch_id"]);

        // Act
        var parameters = JobParameters.For(workflow, "main");

        // Assert
        parameters.Select(p => p.Name).Should().Equal("bar", "foo", "github.event_type");
        parameters[0].Type.Should().Be("StringParameterDefinition");
        parameters[0].DefaultValue.Should().BeNull();
        parameters[0].Description.Should().Be("github.event.client_payload.bar");
        var eventType = parameters[^1];
        eventType.Name.Should().Be("github.event_type");
        eventType.Type.Should().Be("StringParameterDefinition");
        eventType.DefaultValue.Should().Be("deploy");
        eventType.Choices.Should().BeNull();
    }

    [Test]
    public void For_RepositoryDispatchWithSeveralTypes_EventTypeIsChoice()
    {
        // Arrange
        var workflow = new WorkflowDefinition(null, null, false, [], true, ["deploy", "rollback"], []);

        // Act
        var parameters = JobParameters.For(workflow, "main");

        // Assert
        var eventType = parameters.Should().ContainSingle().Subject;
        eventType.Name.Should().Be("github.event_type");
        eventType.Type.Should().Be("ChoiceParameterDefinition");
        eventType.Choices.Should().Equal("deploy", "rollback");
        eventType.DefaultValue.Should().Be("deploy");
    }

    [Test]
    public void For_RepositoryDispatchWithoutTypes_EventTypeDefaultsToSpinnaker()
    {
        // Arrange
        var workflow = new WorkflowDefinition(null, null, false, [], true, [], []);

        // Act
        var parameters = JobParameters.For(workflow, "main");

        // Assert
        var eventType = parameters.Should().ContainSingle().Subject;
        eventType.Type.Should().Be("StringParameterDefinition");
        eventType.DefaultValue.Should().Be("spinnaker");
    }

    [Test]
    public void For_BothTriggers_WorkflowDispatchWins()
    {
        // Arrange
        var workflow = new WorkflowDefinition(null, null, true, [Input("v", "string")], true, ["deploy"], ["foo"]);

        // Act
        var parameters = JobParameters.For(workflow, "main");

        // Assert
        parameters.Select(p => p.Name).Should().Equal("v", "github.ref");
    }

    [Test]
    public void For_NotDispatchable_NoParameters()
    {
        // Arrange
        var workflow = new WorkflowDefinition(null, null, false, [], false, [], []);

        // Act
        var parameters = JobParameters.For(workflow, "main");

        // Assert
        parameters.Should().BeEmpty();
    }

    [Test]
    public void For_ParsedWorkflow_EndToEnd()
    {
        // Arrange
        var workflow = WorkflowYamlParser.Parse("""
            on:
              workflow_dispatch:
                inputs:
                  dry_run:
                    type: boolean
                  region:
                    type: choice
                    required: true
                    options: [eu, us]
            jobs: {}
            """);

        // Act
        var parameters = JobParameters.For(workflow, "main");

        // Assert
        parameters.Select(p => (p.Name, p.Type, p.DefaultValue)).Should().Equal(
            ("dry_run", "BooleanParameterDefinition", "false"),
            ("region", "ChoiceParameterDefinition", "eu"),
            ("github.ref", "StringParameterDefinition", "main"));
        parameters[1].Description.Should().Be("(required)");
    }

    [Test]
    public void JobConfiguration_Serialized_JenkinsShape()
    {
        // Arrange
        var parameters = JobParameters.For(
            Dispatch(Input("region", "choice", options: ["eu", "us"]), Input("version", "string")), "main");
        var configuration = new JobConfiguration
        {
            DisplayName = "Build",
            Name = "acme/api/build.yml",
            Buildable = true,
            Url = "https://github.com/acme/api/actions/workflows/build.yml",
            ParameterDefinitionList = parameters,
        };

        // Act
        var json = JsonSerializer.Serialize(configuration, IgorJsonContext.Default.JobConfiguration);

        // Assert
        var root = JsonNode.Parse(json)!.AsObject();
        root.Select(p => p.Key).Should().BeEquivalentTo(
            ["displayName", "name", "buildable", "color", "url", "concurrentBuild", "parameterDefinitionList"]);
        root["buildable"]!.GetValue<bool>().Should().BeTrue();
        root["color"]!.GetValue<string>().Should().Be("blue");
        root["concurrentBuild"]!.GetValue<bool>().Should().BeTrue();

        var list = root["parameterDefinitionList"]!.AsArray();
        list.Should().HaveCount(3);

        var choice = list[0]!.AsObject();
        choice.Select(p => p.Key).Should().BeEquivalentTo(
            ["name", "type", "description", "defaultValue", "defaultName", "defaultParameterValue", "choices"]);
        choice["type"]!.GetValue<string>().Should().Be("ChoiceParameterDefinition");
        choice["choices"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("eu", "us");
        choice["defaultValue"]!.GetValue<string>().Should().Be("eu");
        choice["defaultParameterValue"]!["name"]!.GetValue<string>().Should().Be("region");
        choice["defaultParameterValue"]!["value"]!.GetValue<string>().Should().Be("eu");

        var text = list[1]!.AsObject();
        text.ContainsKey("choices").Should().BeFalse();
        text.ContainsKey("defaultValue").Should().BeTrue();
        text["defaultValue"].Should().BeNull();
        text["type"]!.GetValue<string>().Should().Be("StringParameterDefinition");
        text["defaultParameterValue"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["name"]);
    }

    [Test]
    public void JobConfiguration_WithDescription_DescriptionSerialized()
    {
        // Arrange
        var configuration = new JobConfiguration
        {
            Description = "Builds the API",
            DisplayName = "Build",
            Name = "acme/api/build.yml",
            Buildable = false,
            Url = "https://github.com/acme/api",
            ParameterDefinitionList = [],
        };

        // Act
        var json = JsonSerializer.Serialize(configuration, IgorJsonContext.Default.JobConfiguration);

        // Assert
        using var document = JsonDocument.Parse(json);
        document.RootElement.GetProperty("description").GetString().Should().Be("Builds the API");
        document.RootElement.GetProperty("buildable").GetBoolean().Should().BeFalse();
        document.RootElement.GetProperty("parameterDefinitionList").GetArrayLength().Should().Be(0);
    }
}
