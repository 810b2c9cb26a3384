using System.Globalization;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing.Workflows;

/// <summary>Builds the expression contexts (<c>github</c>, <c>inputs</c>) a run's <c>run-name</c> is evaluated with.</summary>
internal static class RunContexts
{
    public static JsonObject For(
        SimulatedWorkflow workflow,
        ResolvedRef reference,
        Account actor,
        string eventName,
        JsonObject eventPayload,
        JsonObject inputs)
    {
        var repository = workflow.Repository;
        return new JsonObject
        {
            ["inputs"] = inputs,
            ["github"] = new JsonObject
            {
                ["event"] = eventPayload,
                ["event_name"] = eventName,
                ["ref"] = reference.State.FullRef,
                ["ref_name"] = reference.Name,
                ["ref_type"] = reference.IsTag ? "tag" : "branch",
                ["sha"] = reference.Sha,
                ["actor"] = actor.Login,
                ["triggering_actor"] = actor.Login,
                ["repository"] = repository.FullName,
                ["repository_owner"] = repository.Owner,
                ["workflow"] = workflow.Name,
                ["run_number"] = workflow.PeekNextRunNumber().ToString(CultureInfo.InvariantCulture),
                ["run_attempt"] = "1",
            },
            ["vars"] = new JsonObject(),
            ["env"] = new JsonObject(),
        };
    }

    /// <summary>The run's display title: the evaluated <c>run-name</c>, or <paramref name="fallback"/> when there is none or it is blank.</summary>
    public static string DisplayTitle(WorkflowDefinition definition, JsonObject contexts, string fallback)
    {
        if (definition.RunName is null)
        {
            return fallback;
        }

        var title = ExpressionEvaluator.EvaluateTemplate(definition.RunName, contexts);
        return string.IsNullOrWhiteSpace(title) ? fallback : title;
    }
}
