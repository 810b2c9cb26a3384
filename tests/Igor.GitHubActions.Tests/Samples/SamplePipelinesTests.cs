using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Samples;

/// <summary>Every sample pipeline refers only to masters, jobs and parameters the service exposes, and runs.</summary>
public sealed class SamplePipelinesTests
{
    private static readonly string[] ServiceStageTypes = ["jenkins"];

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
        var triggers = pipeline["triggers"]!.AsArray().Select(t => t!.AsObject()).Where(t => t["master"] is not null).ToArray();
        (stages.Length + triggers.Length).Should().BePositive($"{Path.GetFileName(file)} uses the service");

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

    [TestCaseSource(nameof(Pipelines))]
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
}
