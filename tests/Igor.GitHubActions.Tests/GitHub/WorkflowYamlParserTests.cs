using Igor.GitHubActions.GitHub.Jobs;

namespace Igor.GitHubActions.Tests.GitHub;

public sealed class WorkflowYamlParserTests
{
    [Test]
    public void Parse_OnAsString_OneTrigger()
    {
        // Arrange
        const string yaml = """
            name: Build
            on: workflow_dispatch
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.Name.Should().Be("Build");
        workflow.HasWorkflowDispatch.Should().BeTrue();
        workflow.HasRepositoryDispatch.Should().BeFalse();
        workflow.Inputs.Should().BeEmpty();
        workflow.IsDispatchable.Should().BeTrue();
    }

    [Test]
    public void Parse_OnAsList_AllTriggers()
    {
        // Arrange
        const string yaml = """
            on: [push, workflow_dispatch, repository_dispatch, push]
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasWorkflowDispatch.Should().BeTrue();
        workflow.HasRepositoryDispatch.Should().BeTrue();
        workflow.RepositoryDispatchTypes.Should().BeEmpty();
    }

    [Test]
    public void Parse_OnAsMappingWithoutDispatch_NotDispatchable()
    {
        // Arrange
        const string yaml = """
            on:
              push:
                branches: [main]
              pull_request:
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasWorkflowDispatch.Should().BeFalse();
        workflow.HasRepositoryDispatch.Should().BeFalse();
        workflow.IsDispatchable.Should().BeFalse();
    }

    [Test]
    public void Parse_WorkflowDispatchWithNullValue_DispatchableWithoutInputs()
    {
        // Arrange
        const string yaml = """
            on:
              push:
              workflow_dispatch:
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasWorkflowDispatch.Should().BeTrue();
        workflow.Inputs.Should().BeEmpty();
    }

    [Test]
    public void Parse_WorkflowDispatchWithEmptyInputs_NoInputs()
    {
        // Arrange
        const string yaml = """
            on:
              workflow_dispatch:
                inputs:
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasWorkflowDispatch.Should().BeTrue();
        workflow.Inputs.Should().BeEmpty();
    }

    [Test]
    public void Parse_InputsOfEveryType_ReadInOrder()
    {
        // Arrange
        const string yaml = """
            on:
              workflow_dispatch:
                inputs:
                  version:
                    description: Version to build
                    required: true
                    default: "1.0"
                  dry_run:
                    type: boolean
                    required: "true"
                    default: true
                  region:
                    type: choice
                    description: Where
                    options:
                      - eu-west-1
                      - us-east-1
                    default: us-east-1
                  replicas:
                    type: number
                    default: 3
                  target:
                    type: environment
                  plain:
                    type: string
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.Inputs.Should().Equal(
            [
                new WorkflowInput("version", "string", "Version to build", true, "1.0", []),
                new WorkflowInput("dry_run", "boolean", null, true, "true", []),
                new WorkflowInput("region", "choice", "Where", false, "us-east-1", ["eu-west-1", "us-east-1"]),
                new WorkflowInput("replicas", "number", null, false, "3", []),
                new WorkflowInput("target", "environment", null, false, null, []),
                new WorkflowInput("plain", "string", null, false, null, []),
            ],
            (a, b) => a.Name == b.Name && a.Type == b.Type && a.Description == b.Description && a.Required == b.Required &&
                a.Default == b.Default && a.Options.SequenceEqual(b.Options));
    }

    [TestCase("required: true", true)]
    [TestCase("required: \"true\"", true)]
    [TestCase("required: True", true)]
    [TestCase("required: false", false)]
    [TestCase("description: no required key", false)]
    public void Parse_Required_ReadFromBooleanOrString(string line, bool expected)
    {
        // Arrange
        var yaml = $"""
            on:
              workflow_dispatch:
                inputs:
                  version:
                    {line}
            jobs: {"{}"}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.Inputs.Should().ContainSingle().Which.Required.Should().Be(expected);
    }

    [Test]
    public void Parse_InputWithNullSpec_StringInput()
    {
        // Arrange
        const string yaml = """
            on:
              workflow_dispatch:
                inputs:
                  version:
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        var input = workflow.Inputs.Should().ContainSingle().Subject;
        input.Name.Should().Be("version");
        input.Type.Should().Be("string");
        input.Required.Should().BeFalse();
        input.Default.Should().BeNull();
        input.Options.Should().BeEmpty();
    }

    [Test]
    public void Parse_UnknownInputType_ThrowsNamingInputAndType()
    {
        // Arrange
        const string yaml = """
            on:
              workflow_dispatch:
                inputs:
                  count:
                    type: integer
            jobs: {}
            """;

        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>().WithMessage("*'count'*'integer'*");
    }

    [Test]
    public void Parse_InputsNotAMapping_Throws()
    {
        // Arrange
        const string yaml = """
            on:
              workflow_dispatch:
                inputs: [a, b]
            jobs: {}
            """;

        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>().WithMessage("*inputs is not a mapping*");
    }

    [TestCase("name: Build\non:\n  push: x\n    bad: y\n", 4)]
    [TestCase("name: Build\non: {push\n", 3)]
    [TestCase("name: Build\non: push\non: pull_request\n", 3)]
    [TestCase("name: Build\non:\n  workflow_dispatch:\n    inputs: [a, b\n", 5)]
    public void Parse_MalformedYaml_ThrowsWithLineNumber(string yaml, int line)
    {
        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>()
            .WithMessage($"the workflow file is not valid YAML (line {line}, column *): *");
    }

    [Test]
    public void Parse_UnclosedFlowSequenceFollowedByMoreLines_ThrowsWorkflowYamlException()
    {
        // Arrange
        const string yaml = "name: Build\non:\n  workflow_dispatch:\n    inputs: [a, b\njobs: {}\n";

        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>().WithMessage("*not valid YAML*");
    }

    [Test]
    public void Parse_NoOnSection_Throws()
    {
        // Arrange
        const string yaml = """
            name: Build
            jobs: {}
            """;

        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>().WithMessage("*no 'on' section*");
    }

    [TestCase("- a\n- b\n")]
    [TestCase("just a string\n")]
    [TestCase("")]
    public void Parse_NotOneMapping_Throws(string yaml)
    {
        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>().WithMessage("*not one YAML mapping*");
    }

    [Test]
    public void Parse_TooLarge_Throws()
    {
        // Arrange
        var yaml = "on: push\n#" + new string('x', 512 * 1024);

        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>().WithMessage("*larger than 512 KiB*");
    }

    [Test]
    public void Parse_RepositoryDispatchTypesAsList_AllTypes()
    {
        // Arrange
        const string yaml = """
            on:
              repository_dispatch:
                types: [deploy, rollback]
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasRepositoryDispatch.Should().BeTrue();
        workflow.HasWorkflowDispatch.Should().BeFalse();
        workflow.RepositoryDispatchTypes.Should().Equal("deploy", "rollback");
        workflow.IsDispatchable.Should().BeTrue();
    }

    [Test]
    public void Parse_RepositoryDispatchTypesAsString_OneType()
    {
        // Arrange
        const string yaml = """
            on:
              repository_dispatch:
                types: deploy
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.RepositoryDispatchTypes.Should().Equal("deploy");
    }

    [Test]
    public void Parse_ClientPayloadReferences_KeysDistinctAndSorted()
    {
        // Arrange
        const string yaml = """
            on: repository_dispatch
            jobs:
              deploy:
                runs-on: ubuntu-latest
                steps:
                  - run: echo ${{ github.event.client_payload.foo }}
                  - run: echo ${{ github.event.client_payload['bar'] }}
                  - run: echo ${{ github.event.client_payload[ 'with space' ] }}
                  - run: echo ${{ github.event.client_payload.foo }} ${{ github.event.client_payload.a_b-c }}
                  - run: echo ${{ toJSON(github.event.client_payload) }}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.ClientPayloadKeys.Should().Equal("a_b-c", "bar", "foo", "with space");
    }

    [Test]
    public void Parse_RunName_Read()
    {
        // Arrange
        const string yaml = """
            name: Deploy
            run-name: Deploy ${{ inputs.version }} by @${{ github.actor }}
            on: workflow_dispatch
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.Name.Should().Be("Deploy");
        workflow.RunName.Should().Be("Deploy ${{ inputs.version }} by @${{ github.actor }}");
    }

    [Test]
    public void Parse_NoNameNoRunName_Null()
    {
        // Act
        var workflow = WorkflowYamlParser.Parse("on: push\n");

        // Assert
        workflow.Name.Should().BeNull();
        workflow.RunName.Should().BeNull();
        workflow.ClientPayloadKeys.Should().BeEmpty();
    }

    [Test]
    public void Parse_OnKeyThatYaml11ReadsAsBoolean_StillTheTriggers()
    {
        // Arrange: in YAML 1.1, an unquoted 'on' key is the boolean true
        const string yaml = """
            %YAML 1.1
            ---
            on:
              workflow_dispatch:
                inputs:
                  dry_run:
                    type: boolean
                    default: off
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasWorkflowDispatch.Should().BeTrue();
        workflow.Inputs.Should().ContainSingle().Which.Default.Should().Be("off");
    }

    [Test]
    public void Parse_OnWithoutYamlDirective_StillTheTriggers()
    {
        // Arrange
        const string yaml = """
            true: not the triggers
            on:
              workflow_dispatch:
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasWorkflowDispatch.Should().BeTrue();
    }

    [Test]
    public void Parse_QuotedOnKey_StillTheTriggers()
    {
        // Arrange
        const string yaml = """
            "on":
              workflow_dispatch:
            jobs: {}
            """;

        // Act
        var workflow = WorkflowYamlParser.Parse(yaml);

        // Assert
        workflow.HasWorkflowDispatch.Should().BeTrue();
    }

    [Test]
    public void Parse_OnIsNeitherEventListNorMapping_Throws()
    {
        // Arrange: an empty 'on:' is a null scalar
        const string yaml = """
            on:
            jobs: {}
            """;

        // Act
        var act = () => WorkflowYamlParser.Parse(yaml);

        // Assert
        act.Should().Throw<WorkflowYamlException>().WithMessage("*'on' section*");
    }
}
