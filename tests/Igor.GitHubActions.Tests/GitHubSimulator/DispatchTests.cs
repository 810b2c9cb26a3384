using System.Net;
using Igor.GitHubActions.Testing;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class DispatchTests
{
    private const string DeployYaml = """
        name: Deploy
        run-name: Deploy ${{ inputs.environment }} [${{ inputs.distinct_id && inputs.distinct_id || 'N/A' }}] by ${{ github.actor }} on ${{ github.ref_name }}
        on:
          workflow_dispatch:
            inputs:
              environment:
                description: Target
                required: true
                type: choice
                options: [staging, production]
              distinct_id:
                required: false
              version:
                required: true
                default: latest
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: echo hi
        """;

    private SimulatorHarness _h = null!;
    private string _token = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _h.Repo.AddWorkflow("deploy.yml", DeployYaml);
        _h.Repo.AddWorkflow("ci.yml", "name: CI\non: [push]\njobs: {}\n");
        _h.Repo.AddBranch("release/1.x");
        _h.Repo.AddTag("v1.0.0");
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private Task<HttpResponseMessage> Dispatch(object body, string workflow = "deploy.yml", string? apiVersion = null) =>
        _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/actions/workflows/{workflow}/dispatches", _token, body, r =>
        {
            if (apiVersion is not null)
            {
                r.Headers.Remove("X-GitHub-Api-Version");
                r.Headers.Add("X-GitHub-Api-Version", apiVersion);
            }
        });

    [Test]
    public async Task Dispatch_WithoutRunDetails_Answers204_CreatesAQueuedRun()
    {
        using var response = await Dispatch(new { @ref = "main", inputs = new { environment = "staging", distinct_id = "abc-123" } });

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var run = _h.Repo.GetWorkflow("deploy.yml").Runs.Should().ContainSingle().Subject;
        run.Event.Should().Be("workflow_dispatch");
        run.Status.Should().Be("queued");
        run.Conclusion.Should().BeNull();
        run.HeadBranch.Should().Be("main");
        run.HeadSha.Should().MatchRegex("^[0-9a-f]{40}$").And.Be(_h.Repo.GetHeadSha("main"));
        run.RunNumber.Should().Be(1);
        run.RunAttempt.Should().Be(1);
        run.Id.Should().BeGreaterThan(int.MaxValue);
        run.Inputs.Should().Equal(new Dictionary<string, string> { ["environment"] = "staging", ["distinct_id"] = "abc-123" });
        run.DisplayTitle.Should().Be("Deploy staging [abc-123] by spinnaker-igor[bot] on main");
        run.Actor.Login.Should().Be("spinnaker-igor[bot]");
    }

    [Test]
    public async Task Dispatch_InputMissing_RunNameFallsBack_RunNumbersIncrease()
    {
        using var first = await Dispatch(new { @ref = "release/1.x", inputs = new { environment = "production" } });
        using var second = await Dispatch(new { @ref = "v1.0.0", inputs = new { environment = "staging" } });

        var runs = _h.Repo.GetWorkflow("deploy.yml").Runs;
        runs.Select(r => r.RunNumber).Should().Equal(1, 2);
        runs[0].DisplayTitle.Should().Be("Deploy production [N/A] by spinnaker-igor[bot] on release/1.x");
        runs[0].HeadBranch.Should().Be("release/1.x");
        runs[1].HeadBranch.Should().Be("v1.0.0");
    }

    [Test]
    public async Task Dispatch_ReturnRunDetails_Answers200WithTheRunIdAndUrls()
    {
        using var response = await Dispatch(new { @ref = "main", inputs = new { environment = "staging" }, return_run_details = true });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await SimulatorHarness.ReadJsonAsync(response);
        var run = _h.Repo.Runs.Single();
        body["workflow_run_id"]!.GetValue<long>().Should().Be(run.Id);
        body["run_url"]!.GetValue<string>().Should().Be($"{_h.Sim.BaseAddress}repos/acme/api/actions/runs/{run.Id}");
        body["html_url"]!.GetValue<string>().Should().EndWith($"/acme/api/actions/runs/{run.Id}");
    }

    [Test]
    public async Task Dispatch_ApiVersion20260310_AlwaysAnswers200WithABody()
    {
        using var response = await Dispatch(new { @ref = "main", inputs = new { environment = "staging" } }, apiVersion: "2026-03-10");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await SimulatorHarness.ReadJsonAsync(response))["workflow_run_id"]!.GetValue<long>().Should().Be(_h.Repo.Runs.Single().Id);
        _h.Sim.Requests[^1].Header("X-GitHub-Api-Version").Should().Be("2026-03-10");
    }

    [TestCase(DispatchRunDetailsSupport.RejectedWith400, HttpStatusCode.BadRequest, 0)]
    [TestCase(DispatchRunDetailsSupport.RejectedWith422, HttpStatusCode.UnprocessableEntity, 0)]
    [TestCase(DispatchRunDetailsSupport.IgnoredWith204, HttpStatusCode.NoContent, 1)]
    public async Task Dispatch_OlderEnterpriseServers_RejectOrIgnoreReturnRunDetails(DispatchRunDetailsSupport mode, HttpStatusCode expected, int runs)
    {
        _h.Sim.Options.RunDetails = mode;

        using var response = await Dispatch(new { @ref = "main", inputs = new { environment = "staging" }, return_run_details = true });

        response.StatusCode.Should().Be(expected);
        if (runs == 0)
        {
            (await SimulatorHarness.MessageAsync(response)).Should().Be("Invalid request.\n\n\"return_run_details\" is not a permitted key.");
        }

        _h.Repo.Runs.Should().HaveCount(runs);
    }

    [Test]
    public async Task Dispatch_OlderEnterpriseServers_RejectApiVersion20260310()
    {
        _h.Sim.Options.RunDetails = DispatchRunDetailsSupport.IgnoredWith204;

        using var response = await Dispatch(new { @ref = "main", inputs = new { environment = "staging" } }, apiVersion: "2026-03-10");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [TestCase("{\"inputs\":{}}", "Invalid request.\n\n\"ref\" wasn't supplied.")]
    [TestCase("{\"ref\":\"nope\",\"inputs\":{\"environment\":\"staging\"}}", "No ref found for: nope")]
    [TestCase("{\"ref\":\"main\",\"inputs\":{\"environment\":\"staging\",\"foo\":\"1\"}}", "Unexpected inputs provided: [\"foo\"]")]
    [TestCase("{\"ref\":\"main\",\"inputs\":{}}", "Required input 'environment' not provided")]
    [TestCase("{\"ref\":\"main\",\"inputs\":{\"environment\":\"moon\"}}", "Provided value 'moon' for input 'environment' not in the list of allowed values")]
    [TestCase("{\"ref\":\"main\",\"inputs\":{\"environment\":5}}", "Invalid request.\n\nFor 'properties/environment', 5 is not a string.")]
    public async Task Dispatch_Invalid_Answers422WithGitHubsMessage(string body, string message)
    {
        using var response = await Dispatch(body);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(response)).Should().Be(message);
        (await SimulatorHarness.ReadJsonAsync(response))["documentation_url"]!.GetValue<string>().Should().StartWith("https://docs.github.com/");
        _h.Repo.Runs.Should().BeEmpty();
    }

    [Test]
    public async Task Dispatch_WorkflowWithoutTheTrigger_IsRejected()
    {
        using var response = await Dispatch(new { @ref = "main" }, "ci.yml");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(response)).Should().Be("Workflow does not have 'workflow_dispatch' trigger");
    }

    [Test]
    public async Task Dispatch_Inputs_AreValidatedAgainstTheFileAtTheRef()
    {
        _h.Repo.AddWorkflow("deploy.yml", "on:\n  workflow_dispatch:\n    inputs:\n      only_here: {}\njobs: {}\n", onRef: "feature");

        using var atFeature = await Dispatch(new { @ref = "feature", inputs = new { only_here = "x" } });
        using var atMain = await Dispatch(new { @ref = "main", inputs = new { only_here = "x", environment = "staging" } });

        atFeature.StatusCode.Should().Be(HttpStatusCode.NoContent);
        atMain.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(atMain)).Should().Be("Unexpected inputs provided: [\"only_here\"]");
    }

    [Test]
    public async Task Dispatch_TooManyOrTooLargeInputs_AreRejected()
    {
        var many = Enumerable.Range(0, 26).ToDictionary(i => $"i{i}", i => "v");
        var large = new Dictionary<string, string> { ["environment"] = new string('x', 65_600) };

        using var tooMany = await Dispatch(new { @ref = "main", inputs = many });
        using var tooLarge = await Dispatch(new { @ref = "main", inputs = large });

        tooMany.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(tooMany)).Should().Be("No more than 25 properties are allowed; 26 were supplied.");
        tooLarge.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(tooLarge)).Should().Be("inputs are too large.");
    }

    [Test]
    public async Task Dispatch_DisabledOrUnknownWorkflow_IsRejected()
    {
        _h.Repo.GetWorkflow("deploy.yml").Disable();

        using var disabled = await Dispatch(new { @ref = "main", inputs = new { environment = "staging" } });
        using var unknown = await Dispatch(new { @ref = "main" }, "nope.yml");

        disabled.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(disabled)).Should().Be("Cannot trigger a 'workflow_dispatch' on a disabled workflow");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Dispatch_WorkflowNotDispatchableOnTheDefaultBranch_IsRejected()
    {
        _h.Repo.AddWorkflow("branch-only.yml", "on: workflow_dispatch\njobs: {}\n", onRef: "release/1.x");
        _h.Repo.AddWorkflow("later.yml", "on: push\njobs: {}\n");
        _h.Repo.AddWorkflow("later.yml", "on: workflow_dispatch\njobs: {}\n", onRef: "release/1.x");

        using var branchOnly = await Dispatch(new { @ref = "release/1.x" }, "branch-only.yml");
        using var notYetOnDefault = await Dispatch(new { @ref = "release/1.x" }, "later.yml");

        branchOnly.StatusCode.Should().Be(HttpStatusCode.NotFound);
        notYetOnDefault.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(notYetOnDefault)).Should().Be("Workflow does not have 'workflow_dispatch' trigger");
    }

    [Test]
    public async Task Dispatch_Concurrent_GetDistinctIdsAndSequentialRunNumbers()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Dispatch(new { @ref = "main", inputs = new { environment = "staging", distinct_id = $"id-{i}" }, return_run_details = true })));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var ids = new List<long>();
        foreach (var response in responses)
        {
            ids.Add((await SimulatorHarness.ReadJsonAsync(response))["workflow_run_id"]!.GetValue<long>());
            response.Dispose();
        }

        ids.Should().OnlyHaveUniqueItems();
        _h.Repo.Runs.Select(r => r.RunNumber).Order().Should().Equal(Enumerable.Range(1, 20));
        _h.Repo.Runs.Select(r => r.DisplayTitle).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task Dispatch_ByNumericWorkflowId_Works_RunCreatedEventFires()
    {
        var created = new TaskCompletionSource<SimulatedRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Sim.RunCreated += run => created.TrySetResult(run);
        var id = _h.Repo.GetWorkflow("deploy.yml").Id;

        using var response = await Dispatch(new { @ref = "main", inputs = new { environment = "staging" } }, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await created.Task.WaitAsync(TimeSpan.FromSeconds(10))).WorkflowId.Should().Be(id);
    }
}
