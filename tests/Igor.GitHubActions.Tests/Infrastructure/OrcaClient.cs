using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// Sends what Orca's Jenkins stage sends, encoded as Orca's Retrofit2 clients encode it (contract §1.3, §2):
/// path-form job segments percent-encoded one by one, query-form jobs fully encoded, the start time as a JSON string.
/// </summary>
public sealed class OrcaClient(HttpClient http, string master)
{
    public string ExecutionId { get; set; } = "01JEXECUTION" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    /// <summary>
    /// The Jenkins stage's id within the execution; by default one per execution id, so an Orca client made anew for the
    /// same execution (a retry after a restart) is the same stage.
    /// </summary>
    public string StageId
    {
        get => field ?? "01JSTAGE" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ExecutionId)))[..12];
        set;
    }

    /// <summary>
    /// <c>X-SPINNAKER-EXECUTION-ID</c> as Orca's task queue sends it: <c>executionId:stageId:taskId</c>
    /// (orca-queue's <c>ExecutionTrackingMessageHandlerPostProcessor</c>); the start is the stage's first task.
    /// </summary>
    public string ExecutionHeader => $"{ExecutionId}:{StageId}:1";

    public static string PathForm(string job) => string.Join('/', job.Split('/').Select(Uri.EscapeDataString));

    public static string QueryForm(string job) => Uri.EscapeDataString(job);

    /// <summary>StartJenkinsJobTask: <c>PUT masters/{m}/jobs/{job...}?params</c> with body <c>"startTime"</c>.</summary>
    public Task<HttpResponseMessage> StartAsync(string job, IReadOnlyDictionary<string, string>? parameters = null, string startTime = "1767225600000") =>
        SendStartAsync(job, parameters, startTime, CancellationToken.None);

    private async Task<HttpResponseMessage> SendStartAsync(string job, IReadOnlyDictionary<string, string>? parameters, string startTime, CancellationToken cancellationToken)
    {
        var query = parameters is null || parameters.Count == 0
            ? ""
            : "?" + string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Put, $"masters/{Uri.EscapeDataString(master)}/jobs/{PathForm(job)}{query}")
        {
            Content = new StringContent(JsonSerializer.Serialize(startTime), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-SPINNAKER-EXECUTION-ID", ExecutionHeader);
        request.Headers.Add("X-SPINNAKER-USER", "alice@example.com");
        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// StartJenkinsJobTask as Orca's task queue runs it: the PUT is sent again after a network error (a client timeout
    /// included), 429, 502, 503 or 504 (RunTaskHandler, contract §1.5), each try bounded by <paramref name="clientTimeout"/>,
    /// until an answer Orca acts on or <paramref name="deadline"/>. Answers the status and body of that answer.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body, int Tries)> StartAsOrcaAsync(
        string job, IReadOnlyDictionary<string, string>? parameters, TimeSpan clientTimeout, TimeSpan deadline, string startTime = "1767225600000")
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var tries = 1; ; tries++)
        {
            using var attempt = new CancellationTokenSource(clientTimeout);
            try
            {
                using var response = await SendStartAsync(job, parameters, startTime, attempt.Token);
                var body = await response.Content.ReadAsStringAsync(attempt.Token);
                var retried = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
                    or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
                if (!retried || elapsed.Elapsed > deadline)
                {
                    return (response.StatusCode, body, tries);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
            {
                if (elapsed.Elapsed > deadline)
                {
                    throw new TimeoutException($"the start call never answered within {deadline} ({tries} tries)", e);
                }
            }

            // Orca's task backoff is seconds; a short one keeps the test quick without changing what is retried.
            await Task.Delay(200);
        }
    }

    /// <summary>Starts and returns the queue id, asserting Orca's expectations of the answer.</summary>
    public async Task<string> StartOkAsync(string job, IReadOnlyDictionary<string, string>? parameters = null, string startTime = "1767225600000")
    {
        using var response = await StartAsync(job, parameters, startTime);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        body.Should().MatchRegex("^[0-9]+$", "Orca keeps the raw body as the queue id");
        return body;
    }

    /// <summary>MonitorQueuedJenkinsJobTask: <c>GET builds/queue/{m}/{id}</c>.</summary>
    public Task<HttpResponseMessage> QueueAsync(string queueId) => http.GetAsync($"builds/queue/{Uri.EscapeDataString(master)}/{queueId}");

    /// <summary>Polls the queue id as Orca does, until a build number appears.</summary>
    public async Task<int> WaitForBuildNumberAsync(string queueId, TimeSpan? timeout = null, Func<Task>? betweenPolls = null)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await QueueAsync(queueId);
            var text = await response.Content.ReadAsStringAsync();

            // MonitorQueuedJenkinsJobTask keeps polling on 404, 500 and 503, and its task queue re-runs it on 429, 502 and
            // 504 (RunTaskHandler, contract §1.5); anything else fails the stage.
            var retryable = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable
                or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;
            if (!retryable)
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, text);
            }

            var number = retryable ? null : JsonNode.Parse(text)!["number"];
            if (number is not null)
            {
                return number.GetValue<int>();
            }

            if (elapsed.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"queue item {queueId} did not resolve: {text}");
            }

            if (betweenPolls is not null)
            {
                await betweenPolls();
            }
            else
            {
                // Orca itself polls on a timer (every 10 s); this client polls on a short one, as there is no push to wait for.
                await Task.Delay(50);
            }
        }
    }

    /// <summary>MonitorJenkinsJobTask: the query form by default (Orca ≥ 2023), or the path form (Echo, Gate).</summary>
    public Task<HttpResponseMessage> StatusAsync(string job, int number, bool queryForm = true) =>
        http.GetAsync(queryForm
            ? $"builds/status/{number}/{Uri.EscapeDataString(master)}?job={QueryForm(job)}"
            : $"builds/status/{number}/{Uri.EscapeDataString(master)}/{PathForm(job)}");

    public async Task<JsonObject> StatusJsonAsync(string job, int number, bool queryForm = true)
    {
        using var response = await StatusAsync(job, number, queryForm);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>GetBuildArtifactsTask, always called after a waited-for build.</summary>
    public Task<HttpResponseMessage> ArtifactsAsync(string job, int number) =>
        http.GetAsync($"builds/artifacts/{number}/{Uri.EscapeDataString(master)}?job={QueryForm(job)}");

    /// <summary>StopJenkinsJobTask: query form by default, path form with the flag off; body <c>""</c>.</summary>
    public async Task<HttpResponseMessage> StopAsync(string job, string queueId, int buildNumber, bool queryForm = true)
    {
        var uri = queryForm
            ? $"masters/{Uri.EscapeDataString(master)}/jobs/stop/{queueId}/{buildNumber}?jobName={QueryForm(job)}"
            : $"masters/{Uri.EscapeDataString(master)}/jobs/{PathForm(job)}/stop/{queueId}/{buildNumber}";
        using var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new StringContent("\"\"", Encoding.UTF8, "application/json") };
        return await http.SendAsync(request);
    }

    /// <summary>The backlink PATCH Orca sends when spinnaker.base-url.www is set.</summary>
    public Task<HttpResponseMessage> UpdateAsync(string job, int number) =>
        http.PatchAsync(
            $"masters/{Uri.EscapeDataString(master)}/jobs/{PathForm(job)}/update/{number}",
            JsonContent.Create(new { description = "This build was triggered by 'deploy' in Spinnaker." }));
}
