using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Workflows;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class ExpressionEvaluatorTests
{
    private static readonly JsonObject Contexts = new()
    {
        ["inputs"] = new JsonObject { ["id"] = "abc", ["empty"] = "", ["flag"] = true, ["Env"] = "prod" },
        ["github"] = new JsonObject
        {
            ["actor"] = "octocat",
            ["ref_name"] = "main",
            ["event"] = new JsonObject { ["inputs"] = new JsonObject { ["id"] = "abc" }, ["client_payload"] = new JsonObject { ["nested"] = new JsonObject { ["x"] = 7 } } },
        },
    };

    [TestCase("Run ${{ inputs.id }}", "Run abc")]
    [TestCase("${{ inputs.id && inputs.id || 'N/A' }}", "abc")]
    [TestCase("${{ inputs.empty && inputs.empty || 'N/A' }}", "N/A")]
    [TestCase("${{ inputs.missing && inputs.missing || 'N/A' }}", "N/A")]
    [TestCase("${{ github.event.inputs.id }}/${{ github.ref_name }}/${{ github.actor }}", "abc/main/octocat")]
    [TestCase("${{ github.event.client_payload.nested.x }}", "7")]
    [TestCase("${{ INPUTS.env }}", "prod")]
    [TestCase("${{ inputs.flag }}", "true")]
    [TestCase("${{ unknown.thing }}!", "!")]
    [TestCase("${{ format('{0}-{1}', inputs.id, github.actor) }}", "abc-octocat")]
    [TestCase("${{ inputs.id == 'ABC' && 'same' || 'different' }}", "same")]
    [TestCase("${{ !inputs.empty }}", "true")]
    [TestCase("${{ 'it''s' }}", "it's")]
    [TestCase("${{ broken( }} ok", " ok")]
    [TestCase("no expressions", "no expressions")]
    public void RunNameTemplates_Evaluated_GiveGitHubsText(string template, string expected) =>
        ExpressionEvaluator.EvaluateTemplate(template, Contexts).Should().Be(expected);
}
