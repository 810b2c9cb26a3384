using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Igor.GitHubActions.Tests.Samples;

/// <summary>Every sample pipeline refers only to masters, jobs and parameters the service exposes, and runs.</summary>
[CancelAfter(120_000)]
public sealed partial class SamplePipelinesTests
{
    private static readonly string[] ServiceStageTypes = ["jenkins"];

    /// <summary>The top-level keys of the body the service posts to Echo for a created deployment.</summary>
    private static readonly string[] DeploymentTriggerKeys = ["repository", "environment", "ref", "sha", "task", "deployment_id", "creator", "description", "payload"];

    public static IEnumerable<string> Pipelines() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot(), "samples", "pipelines"), "*.json").Order(StringComparer.Ordinal);

    [Test]
    public void Samples_Exist() => Pipelines().Should().NotBeEmpty();

    [TestCaseSource(nameof(Pipelines))]
    public async Task SamplePipeline_RefersOnlyToWhatTheServiceExposes(string file)
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var pipeline = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var stages = pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).Where(s => ServiceStageTypes.Contains(s["type"]!.GetValue<string>())).ToArray();
        var custom = OrcaWebhookStage.LoadSamples().ToDictionary(c => c["type"]!.GetValue<string>(), c => new OrcaWebhookStage(c, scenario.Client));
        var customStages = pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).Where(s => custom.ContainsKey(s["type"]!.GetValue<string>())).ToArray();
        foreach (var stage in customStages)
        {
            stage["alias"]?.GetValue<string>().Should().Be("preconfiguredWebhook", "Deck adds the alias Orca falls back to");
            stage["parameterValues"]!.AsObject().Select(p => p.Key).Should().BeSubsetOf(custom[stage["type"]!.GetValue<string>()].ParameterNames);
        }

        var triggers = pipeline["triggers"]!.AsArray().Select(t => t!.AsObject()).Where(t => t["master"] is not null).ToArray();
        var webhookTriggers = pipeline["triggers"]!.AsArray().Select(t => t!.AsObject()).Where(t => t["type"]!.GetValue<string>() == "webhook").ToArray();
        (stages.Length + customStages.Length + triggers.Length + webhookTriggers.Length).Should().BePositive($"{Path.GetFileName(file)} uses the service");
        foreach (var trigger in webhookTriggers)
        {
            trigger["source"]!.GetValue<string>().Should().Be("github-deployment", "the service posts deployments to Echo with that source (Echo:DeploymentSource)");
            trigger["payloadConstraints"]!.AsObject().Select(c => c.Key).Should().BeSubsetOf(DeploymentTriggerKeys);
        }

        var masters = JsonNode.Parse(await scenario.Client.GetStringAsync("masters?type=jenkins"))!.AsArray().Select(m => m!.GetValue<string>()).ToArray();
        var jobs = JsonNode.Parse(await scenario.Client.GetStringAsync($"jobs/{GitHubScenario.Master}"))!.AsArray().Select(j => j!.GetValue<string>()).ToArray();
        foreach (var node in stages.Concat(triggers))
        {
            var master = node["master"]!.GetValue<string>();
            var job = node["job"]!.GetValue<string>();
            masters.Should().Contain(master);
            jobs.Should().Contain(job);
            var config = JsonNode.Parse(await scenario.Client.GetStringAsync($"jobs/{master}/{OrcaClient.PathForm(job)}"))!;
            var declared = config["parameterDefinitionList"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray();
            foreach (var (name, _) in node["parameters"]?.AsObject() ?? [])
            {
                declared.Should().Contain(name, $"{Path.GetFileName(file)} passes '{name}' to {job}");
            }
        }
    }

    [TestCaseSource(nameof(PipelinesWithJenkinsStages))]
    public async Task SamplePipeline_JenkinsStagesStartAndFinishAgainstTheSimulator(string file)
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var pipeline = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        foreach (var stage in pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).Where(s => s["type"]!.GetValue<string>() == "jenkins"))
        {
            var orca = new OrcaClient(scenario.Client, stage["master"]!.GetValue<string>());
            var job = stage["job"]!.GetValue<string>();
            var parameters = (stage["parameters"]?.AsObject() ?? []).ToDictionary(p => p.Key, p => Evaluate(pipeline, p.Value!.GetValue<string>()));

            var queueId = await orca.StartOkAsync(job, parameters);
            var number = await orca.WaitForBuildNumberAsync(queueId);

            var parts = job.Split('/');
            var run = scenario.GitHub.GetRepository(parts[0], parts[1]).GetWorkflow(parts[2]).Runs.Single(r => r.RunNumber == number);
            var referenced = ContextReferences(await File.ReadAllTextAsync(file), stage["name"]!.GetValue<string>());
            if (stage["propertyFile"]?.GetValue<string>() is { Length: > 0 } propertyFile)
            {
                // What the workflow's upload-artifact step would upload: every property the later stages read.
                run.AddArtifact("spinnaker-properties", Zips.Create((propertyFile, string.Concat(referenced.Select(k => $"{k}=sample-{k}\n")))));
            }

            run.Complete("success");
            using var status = await orca.StatusAsync(job, number);
            status.StatusCode.Should().Be(HttpStatusCode.OK);
            if (stage["propertyFile"]?.GetValue<string>() is { Length: > 0 } readFile)
            {
                // Orca reads properties once MonitorJenkinsJobTask has seen the build finish.
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while ((await orca.StatusJsonAsync(job, number))["building"]!.GetValue<bool>())
                {
                    waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the completed run shows as finished once the status cache expires");
                    await Task.Delay(50);
                }

                // GetBuildPropertiesTask copies every key into the stage context, where the SpEL of later stages reads it.
                var properties = JsonNode.Parse(await scenario.Client.GetStringAsync(
                    $"builds/properties/{number}/{Uri.EscapeDataString(readFile)}/{Uri.EscapeDataString(stage["master"]!.GetValue<string>())}?job={OrcaClient.QueryForm(job)}"))!.AsObject();
                referenced.Should().NotBeEmpty($"{readFile} is read by a later stage");
                properties.Select(p => p.Key).Should().Contain(referenced);
            }
        }
    }

    /// <summary>The keys later stages read from this stage's context: <c>#stage('NAME')['context']['KEY']</c>.</summary>
    private static string[] ContextReferences(string pipelineJson, string stageName) =>
        System.Text.RegularExpressions.Regex.Matches(
                pipelineJson,
                @"#stage\('" + System.Text.RegularExpressions.Regex.Escape(stageName) + @"'\)\['context'\]\['([A-Za-z0-9_.-]+)'\]")
            .Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Stands in for Orca's SpEL on the samples' <c>${parameters.x}</c>: the pipeline parameter's default, or a version.</summary>
    private static string Evaluate(JsonNode pipeline, string value)
    {
        const string prefix = "${parameters.";
        if (!value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return value;
        }

        var name = value[prefix.Length..^1];
        var parameter = pipeline["parameterConfig"]?.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == name);
        return parameter?["default"]?.GetValue<string>() is { Length: > 0 } defaultValue ? defaultValue : "1.0.0";
    }

    /// <summary>The samples with a stage of one of <paramref name="types"/>: a case only for a sample that has what it checks.</summary>
    private static IEnumerable<string> PipelinesWith(params string[] types) => Pipelines().Where(file =>
        JsonNode.Parse(File.ReadAllText(file))!["stages"]?.AsArray().Any(s => types.Contains(s!["type"]!.GetValue<string>())) == true);

    public static IEnumerable<string> PipelinesWithJenkinsStages() => PipelinesWith("jenkins");

    public static IEnumerable<string> PipelinesWithCustomStages() =>
        PipelinesWith(OrcaWebhookStage.LoadSamples().Select(c => c["type"]!.GetValue<string>()).ToArray());

    [Test]
    public void OrcaSample_SendsThePathFormStop_WhichEveryOrcaCanSend()
    {
        // Orca 2025.1.x-2026.1.x cannot send the query-form stop (contract correction 5): the sample turns it off.
        var orca = OrcaWebhookStage.Yaml(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot(), "samples", "orca-local.yml")));

        orca["feature"]!["igor"]!["jobNameAsQueryParameter"]!.GetValue<string>().Should().Be("false");
    }

    [Test]
    public void Samples_CoverBothKindsOfStage()
    {
        PipelinesWithJenkinsStages().Should().NotBeEmpty();
        PipelinesWithCustomStages().Should().NotBeEmpty();
    }

    public static IEnumerable<string> PreconfiguredStageTypes() => OrcaWebhookStage.LoadSamples().Select(c => c["type"]!.GetValue<string>());

    [TestCaseSource(nameof(PreconfiguredStageTypes))]
    public async Task OrcaSample_StageRoutesAndParametersExistInTheService(string type)
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var stage = new OrcaWebhookStage(OrcaWebhookStage.LoadSamples().Single(c => c["type"]!.GetValue<string>() == type), scenario.Client);
        var values = stage.Values(stage.ParameterNames.ToDictionary(n => n, _ => "1"));
        values["inputs"] = "{}";
        var routes = Routes(scenario);

        Route(stage.Config["method"]!.GetValue<string>(), stage.Render(stage.Config["url"]!.GetValue<string>(), values, "E1")).Should().BeOneOf(routes);
        JsonNode.Parse(stage.Render(stage.Config["payload"]!.GetValue<string>(), values, "E1")).Should().BeOfType<JsonObject>("Orca sends the payload as the body");
        stage.Config["customHeaders"]!["Content-Type"]![0]!.GetValue<string>().Should().Be("application/json");
        if (stage.Config["waitForCompletion"]!.GetValue<string>() == "true")
        {
            stage.Config["statusUrlResolution"]!.GetValue<string>().Should().Be("webhookResponse");
            new[] { "statusUrlJsonPath", "statusJsonPath", "progressJsonPath" }.Should().OnlyContain(k => stage.Config[k]!.GetValue<string>().StartsWith("$.", StringComparison.Ordinal));
            stage.Set("successStatuses").Should().Equal("SUCCESS");
            stage.Set("canceledStatuses").Should().Equal("ABORTED");
            stage.Set("terminalStatuses").Should().BeEquivalentTo(["FAILURE", "UNSTABLE"]);
            Route(stage.Config["cancelMethod"]!.GetValue<string>(), stage.Render(stage.Config["cancelEndpoint"]!.GetValue<string>(), values, "E1")).Should().BeOneOf(routes);
            JsonNode.Parse(stage.Render(stage.Config["cancelPayload"]!.GetValue<string>(), values, "E1")).Should().BeOfType<JsonObject>();
        }
    }

    [Test]
    public async Task EchoSample_ForwardsEventsToTheServicesRouteWithItsSecretHeader()
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var echo = OrcaWebhookStage.Yaml(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot(), "samples", "echo-local.yml")));

        echo["rest"]!["enabled"]!.GetValue<string>().Should().Be("true");
        var endpoint = echo["rest"]!["endpoints"]!.AsArray().Single()!;
        Route("POST", endpoint["url"]!.GetValue<string>()).Should().BeOneOf(Routes(scenario));
        endpoint["wrap"]!.GetValue<string>().Should().Be("false", "the service reads the plain envelope");
        endpoint["headers"]!.AsObject().Select(h => h.Key).Should().Equal("X-Igor-Events-Secret");
    }

    [TestCaseSource(nameof(PipelinesWithCustomStages))]
    public async Task SamplePipeline_CustomStagesRunAgainstTheSimulator(string file)
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var pipeline = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var custom = OrcaWebhookStage.LoadSamples().ToDictionary(c => c["type"]!.GetValue<string>(), c => new OrcaWebhookStage(c, scenario.Client));
        var context = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var overrides = new Dictionary<string, string> { ["sha"] = scenario.Api.GetHeadSha() };
        foreach (var stage in pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).Where(s => custom.ContainsKey(s["type"]!.GetValue<string>())))
        {
            var orca = custom[stage["type"]!.GetValue<string>()];
            var values = stage["parameterValues"]!.AsObject().ToDictionary(p => p.Key, p => EvaluateStageValue(pipeline, context, overrides, p.Value!.GetValue<string>()));
            var (status, body) = await orca.RunAsync(values, "01JSAMPLE", async _ =>
            {
                foreach (var run in scenario.Api.Runs.Concat(scenario.Web.Runs).Where(r => r.Status != "completed"))
                {
                    run.Complete("success");
                }

                await Task.CompletedTask;
            });

            status.Should().BeOneOf(["SUCCEEDED", .. orca.Set("successStatuses")], $"{stage["name"]} in {Path.GetFileName(file)}");
            context[stage["name"]!.GetValue<string>()] = orca.Config["waitForCompletion"]!.GetValue<string>() == "true"
                ? new JsonObject { ["webhook"] = new JsonObject { ["monitor"] = new JsonObject { ["body"] = body.DeepClone() } } }
                : new JsonObject { ["webhook"] = new JsonObject { ["body"] = body.DeepClone() } };
        }

        context.Should().NotBeEmpty($"{Path.GetFileName(file)} has custom stages");
        var types = pipeline["stages"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        if (types.Contains("githubCreateDeployment"))
        {
            scenario.Api.Deployments.Should().ContainSingle().Which.LatestState.Should().Be(types.Contains("githubSetDeploymentStatus") ? "success" : null);
        }

        if (types.Contains("githubSetCommitStatus"))
        {
            scenario.Api.CommitStatuses.Should().ContainSingle().Which.State.Should().Be("success");
        }
    }

    /// <summary>Orca's SpEL on the samples: <c>${parameters.x}</c> and <c>${#stage('name')['context'][...]}</c> of earlier stages.</summary>
    private static string EvaluateStageValue(JsonNode pipeline, Dictionary<string, JsonObject> stages, Dictionary<string, string> overrides, string value) =>
        SpelExpression().Replace(value, m =>
        {
            if (m.Groups["parameter"].Success)
            {
                var name = m.Groups["parameter"].Value;
                return overrides.TryGetValue(name, out var given) ? given : Evaluate(pipeline, "${parameters." + name + "}");
            }

            JsonNode? node = stages[m.Groups["stage"].Value];
            foreach (var key in m.Groups["keys"].Value.Split(["']['"], StringSplitOptions.None).Skip(1))
            {
                node = node?[key.Trim('[', ']', '\'')];
            }

            return node?.ToString() ?? throw new KeyNotFoundException(m.Value);
        });

    private static string[] Routes(GitHubScenario scenario) =>
        [.. scenario.Service!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))];

    private static string Route(string method, string url) => $"{method} {new Uri(url).AbsolutePath}";

    [GeneratedRegex(@"\$\{(?:parameters\.(?<parameter>[A-Za-z0-9_]+)|#stage\('(?<stage>[^']+)'\)(?<keys>(?:\['[^']+'\])+))\}")]
    private static partial Regex SpelExpression();
}
