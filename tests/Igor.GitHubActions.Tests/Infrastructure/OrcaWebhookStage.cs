using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// Orca's webhook stage for one entry of <c>samples/orca-local.yml</c> (contract §8.2): renders url and payload from the
/// stage's parameterValues, sends the create call with the custom headers, resolves the status URL from the response
/// (<c>statusUrlJsonPath</c>), polls it reading <c>statusJsonPath</c>/<c>progressJsonPath</c> against the configured
/// status sets, and calls <c>cancelEndpoint</c> with <c>cancelPayload</c>.
/// </summary>
public sealed partial class OrcaWebhookStage(JsonObject config, HttpClient http)
{
    public const string SampleBaseUrl = "http://igor-github-actions:8088/";

    public JsonObject Config { get; } = config;

    public string Type => Config["type"]!.GetValue<string>();

    public IReadOnlyList<string> ParameterNames => [.. Config["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>())];

    public static IReadOnlyList<JsonObject> LoadSamples()
    {
        var yaml = File.ReadAllText(System.IO.Path.Combine(TestPaths.RepositoryRoot(), "samples", "orca-local.yml"));
        var root = Yaml(yaml);
        return [.. root["webhook"]!["preconfigured"]!.AsArray().Select(n => n!.AsObject())];
    }

    /// <summary>The stage of the sample configuration (<c>samples/orca-local.yml</c>) of the type, calling the service through <paramref name="client"/>.</summary>
    public static OrcaWebhookStage Sample(string type, HttpClient client) =>
        new(LoadSamples().Single(s => s["type"]!.GetValue<string>() == type), client);

    /// <summary>A stage's parameter values, the last of a key winning.</summary>
    public static Dictionary<string, string> Values(params (string Key, string Value)[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>YAML as JSON (scalars as strings, as Orca's String-typed fields see them).</summary>
    public static JsonNode Yaml(string text) => ToJson(new DeserializerBuilder().Build().Deserialize<object>(text))!;

    /// <summary>The values Orca sends: the stage's parameterValues over the parameters' defaults.</summary>
    public Dictionary<string, string> Values(IReadOnlyDictionary<string, string> parameterValues)
    {
        var values = Config["parameters"]!.AsArray()
            .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["defaultValue"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
        foreach (var (key, value) in parameterValues)
        {
            values[key] = value;
        }

        return values;
    }

    public string Render(string template, IReadOnlyDictionary<string, string> values, string executionId) =>
        Expression().Replace(template, m => m.Groups["param"].Success
            ? values.TryGetValue(m.Groups["param"].Value, out var v) ? v : throw new KeyNotFoundException($"{Type} uses the undeclared parameter {m.Groups["param"].Value}")
            : m.Groups["expr"].Value switch
            {
                "execution.id" => executionId,
                "execution.authentication.user" => User,
                "#currentStage().refId" => StageRefId,
                "#currentStage().startTime" => StageStartTime.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new NotSupportedException(m.Value),
            });

    public const string SecretPlaceholder = "REPLACE_WITH_STAGES_SECRET";

    /// <summary>The execution's authenticated user, as Orca's <c>execution.authentication.user</c> answers it.</summary>
    public string User { get; set; } = "anonymous";

    /// <summary>What the operator puts in place of <see cref="SecretPlaceholder"/>: the service's Stages:Secret (null: send none).</summary>
    public string? StagesSecret { get; set; } = GitHubScenario.StagesSecret;

    /// <summary>The stage's refId in its pipeline, as Orca's <c>#currentStage()</c> answers it.</summary>
    public string StageRefId { get; set; } = "1";

    /// <summary>When this attempt of the stage started (epoch ms); Orca's "restart stage" starts a new attempt at a new time.</summary>
    public long StageStartTime { get; set; } = 1_767_225_600_000;

    /// <summary>The create call; answers the response and its JSON body.</summary>
    public async Task<(HttpResponseMessage Response, JsonNode? Body)> CreateAsync(
        IReadOnlyDictionary<string, string> parameterValues, string executionId, CancellationToken cancellationToken = default)
    {
        var values = Values(parameterValues);
        var response = await SendAsync(
            Config["method"]!.GetValue<string>(), Config["url"]!.GetValue<string>(), Config["payload"]?.GetValue<string>(), values, executionId, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Runs the stage to its end as Orca does; answers the final status (upper-case) and the last status body.</summary>
    public async Task<(string Status, JsonNode Body)> RunAsync(
        IReadOnlyDictionary<string, string> parameterValues, string executionId, Func<JsonNode, Task>? betweenPolls = null, TimeSpan? timeout = null)
    {
        var (response, body) = await CreateAsync(parameterValues, executionId);
        using (response)
        {
            response.IsSuccessStatusCode.Should().BeTrue(body?.ToJsonString());
        }

        if (Config["waitForCompletion"]?.GetValue<string>() != "true")
        {
            return ("SUCCEEDED", body!);
        }

        var statusUrl = Rebase(Path(body!, Config["statusUrlJsonPath"]!.GetValue<string>())!.GetValue<string>());
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            // MonitorWebhookTask sends the stage's customHeaders too (WebhookService.getWebhookStatus).
            using var pollRequest = new HttpRequestMessage(HttpMethod.Get, statusUrl);
            AddCustomHeaders(pollRequest);
            using var poll = await http.SendAsync(pollRequest);
            var text = await poll.Content.ReadAsStringAsync();
            poll.IsSuccessStatusCode.Should().BeTrue(text);
            var status = JsonNode.Parse(text)!;
            Path(status, Config["progressJsonPath"]!.GetValue<string>())!.GetValue<string>().Should().NotBeEmpty("Orca shows the progress message");
            var value = Path(status, Config["statusJsonPath"]!.GetValue<string>())!.GetValue<string>().ToUpperInvariant();
            if (Set("successStatuses").Contains(value) || Set("canceledStatuses").Contains(value) || Set("terminalStatuses").Contains(value))
            {
                return (value, status);
            }

            if (elapsed.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"{Type} still {value}: {text}");
            }

            if (betweenPolls is not null)
            {
                await betweenPolls(status);
            }

            // Orca polls on a timer (every second, then every 15 s); there is no push to wait for.
            await Task.Delay(50);
        }
    }

    public async Task<HttpResponseMessage> CancelAsync(IReadOnlyDictionary<string, string> parameterValues, string executionId) =>
        await SendAsync(Config["cancelMethod"]?.GetValue<string>() ?? "POST", Config["cancelEndpoint"]!.GetValue<string>(), Config["cancelPayload"]?.GetValue<string>(), Values(parameterValues), executionId);

    public IReadOnlySet<string> Set(string key) =>
        (Config[key]?.GetValue<string>() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).ToHashSet();

    /// <summary>Simple JsonPath (<c>$.a.b</c>).</summary>
    public static JsonNode? Path(JsonNode node, string path) =>
        path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode?)node, (n, key) => n?[key]);

    public string Rebase(string url) => url.StartsWith(SampleBaseUrl, StringComparison.Ordinal) ? new Uri(http.BaseAddress!, url[SampleBaseUrl.Length..]).ToString() : url;

    private async Task<HttpResponseMessage> SendAsync(
        string method, string url, string? payload, IReadOnlyDictionary<string, string> values, string executionId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Rebase(Render(url, values, executionId)));

        AddCustomHeaders(request);
        if (payload is not null)
        {
            var contentType = Config["customHeaders"]?["Content-Type"]?[0]?.GetValue<string>() ?? "text/plain";
            request.Content = new StringContent(Render(payload, values, executionId), Encoding.UTF8, contentType);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// The stage's customHeaders, as Orca's WebhookService sends them on the create, monitor and cancel calls: all but
    /// Content-Type (which goes with the body) and its deny list of X-SPINNAKER-* headers; the secret placeholder filled in.
    /// </summary>
    private void AddCustomHeaders(HttpRequestMessage request)
    {
        foreach (var (name, value) in Config["customHeaders"]?.AsObject() ?? [])
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.StartsWith("X-SPINNAKER-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (value?[0]?.GetValue<string>() is { } header && (header != SecretPlaceholder || StagesSecret is not null))
            {
                request.Headers.TryAddWithoutValidation(name, header == SecretPlaceholder ? StagesSecret : header);
            }
        }
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key.ToString()!, ToJson(e.Value)))),
        IList<object> list => new JsonArray([.. list.Select(ToJson)]),
        _ => JsonValue.Create(value.ToString()),
    };

    [GeneratedRegex(@"\$\{(?:parameterValues\['(?<param>[^']+)'\]|(?<expr>[^}]+))\}")]
    private static partial Regex Expression();
}
