using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.State;
using Igor.GitHubActions.Testing.Webhooks;

namespace Igor.GitHubActions.Testing;

/// <summary>The App's webhook: where the simulator POSTs events, signed like GitHub (<c>X-Hub-Signature-256</c>), with a delivery log
/// that backs <c>GET /app/hook/deliveries</c> and <c>POST …/attempts</c>. GitHub never retries failed deliveries; neither does this.</summary>
public sealed class SimulatedWebhooks : IDisposable
{
    private readonly SimulatorCore _core;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sync = new();
    private readonly List<WebhookDelivery> _deliveries = [];
    private readonly List<(Func<WebhookDelivery, bool> Predicate, TaskCompletionSource<WebhookDelivery> Source)> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;

    internal SimulatedWebhooks(SimulatorCore core)
    {
        _core = core;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The receiver (e.g. the service's <c>/webhooks/github</c>); nothing is sent while null.</summary>
    public Uri? Url { get; set; }

    /// <summary>The webhook secret; deliveries are unsigned when null.</summary>
    public string? Secret { get; set; }

    public long HookId { get; set; } = 481516;

    /// <summary>How long the receiver may take before the delivery counts as failed (github.com: 10 s, GHES: 30 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, deliveries also carry <c>X-GitHub-Enterprise-Version</c> and <c>X-GitHub-Enterprise-Host</c>.</summary>
    public string? EnterpriseVersion { get; set; }

    /// <summary>Deliver <c>workflow_run</c> requested / in_progress / completed on run transitions.</summary>
    public bool DeliverWorkflowRuns { get; set; }

    /// <summary>Deliver <c>deployment</c> and <c>deployment_status</c> (not for <c>inactive</c>) when they are created.</summary>
    public bool DeliverDeployments { get; set; }

    /// <summary>Every delivery attempt, oldest first.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries
    {
        get
        {
            lock (_sync)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Delivers a raw JSON payload now; returns the <c>X-GitHub-Delivery</c> GUID.</summary>
    public async Task<string> DeliverAsync(string eventName, string payloadJson, CancellationToken cancellationToken = default)
    {
        var guid = Guid.NewGuid().ToString();
        await SendAsync(eventName, payloadJson, guid, redelivery: false, cancellationToken);
        return guid;
    }

    /// <summary>Delivers an object serialized as JSON (a <see cref="JsonNode"/> as is); returns the <c>X-GitHub-Delivery</c> GUID.</summary>
    public Task<string> DeliverAsync(string eventName, object payload, CancellationToken cancellationToken = default) =>
        DeliverAsync(eventName, payload is JsonNode node ? node.ToJsonString(JsonApiResult.SerializerOptions) : JsonSerializer.Serialize(payload, JsonApiResult.SerializerOptions), cancellationToken);

    /// <summary>The payload GitHub would send for a run's <c>workflow_run</c> event with this action.</summary>
    public JsonObject WorkflowRunPayload(SimulatedRun run, string action) => WebhookPayloads.WorkflowRun(_core, run, action);

    /// <summary>The payload GitHub would send for a deployment's <c>deployment.created</c> event.</summary>
    public JsonObject DeploymentPayload(SimulatedDeployment deployment) => WebhookPayloads.Deployment(_core, deployment);

    /// <summary>Sends a delivery again with the same GUID (what <c>POST /app/hook/deliveries/{id}/attempts</c> does).</summary>
    public async Task<WebhookDelivery> RedeliverAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        var original = Find(deliveryId) ?? throw new KeyNotFoundException($"No delivery {deliveryId}.");
        return await SendAsync(original.Event, original.Payload, original.Guid, redelivery: true, cancellationToken);
    }

    /// <summary>Completes with the first delivery (past or future) matching <paramref name="predicate"/>.</summary>
    public async Task<WebhookDelivery> WaitForDeliveryAsync(Func<WebhookDelivery, bool> predicate, TimeSpan timeout)
    {
        var source = new TaskCompletionSource<WebhookDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (_deliveries.FirstOrDefault(predicate) is { } existing)
            {
                return existing;
            }

            _waiters.Add((predicate, source));
        }

        try
        {
            return await source.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching webhook delivery within {timeout}.");
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        try
        {
            _pump.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    internal WebhookDelivery? Find(long deliveryId)
    {
        lock (_sync)
        {
            return _deliveries.FirstOrDefault(d => d.Id == deliveryId);
        }
    }

    /// <summary>Queues a redelivery (the API answers 202 before it happens).</summary>
    internal void QueueRedelivery(WebhookDelivery original) =>
        _queue.Writer.TryWrite(() => SendAsync(original.Event, original.Payload, original.Guid, true, _stopping.Token));

    internal void OnRunChanged(SimulatedRun run, string action)
    {
        if (DeliverWorkflowRuns && Url is not null)
        {
            Queue("workflow_run", WebhookPayloads.WorkflowRun(_core, run, action));
        }
    }

    internal void OnDeploymentCreated(SimulatedDeployment deployment)
    {
        if (DeliverDeployments && Url is not null)
        {
            Queue("deployment", WebhookPayloads.Deployment(_core, deployment));
        }
    }

    internal void OnDeploymentStatusCreated(SimulatedDeployment deployment, SimulatedDeploymentStatus status)
    {
        if (DeliverDeployments && Url is not null)
        {
            Queue("deployment_status", WebhookPayloads.DeploymentStatus(_core, deployment, status));
        }
    }

    private void Queue(string eventName, JsonObject payload)
    {
        var json = payload.ToJsonString(JsonApiResult.SerializerOptions);
        _queue.Writer.TryWrite(() => SendAsync(eventName, json, Guid.NewGuid().ToString(), false, _stopping.Token));
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var send in _queue.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await send();
                }
                catch (Exception) when (!_stopping.IsCancellationRequested)
                {
                    // A failed delivery is recorded by SendAsync; keep pumping.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<WebhookDelivery> SendAsync(string eventName, string payloadJson, string guid, bool redelivery, CancellationToken cancellationToken)
    {
        var url = Url ?? throw new InvalidOperationException("Set Webhooks.Url before delivering.");
        var body = Encoding.UTF8.GetBytes(payloadJson);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = Headers(eventName, guid, body);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var deliveredAt = _core.Now;
        var watch = Stopwatch.StartNew();
        int statusCode;
        string status;
        string? responseBody = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            statusCode = (int)response.StatusCode;
            responseBody = await response.Content.ReadAsStringAsync(timeout.Token);
            status = response.IsSuccessStatusCode ? "OK" : $"Invalid HTTP Response: {statusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            (statusCode, status) = (0, "timed out");
        }
        catch (HttpRequestException)
        {
            (statusCode, status) = (0, "failed to connect to host");
        }

        var (action, installationId, repositoryId) = Describe(payloadJson);
        var delivery = new WebhookDelivery(
            _core.Ids.Next(IdKind.Delivery), guid, deliveredAt, redelivery, watch.Elapsed.TotalSeconds, status, statusCode,
            eventName, action, installationId, repositoryId, payloadJson, headers, responseBody);
        Record(delivery);
        return delivery;
    }

    private Dictionary<string, string> Headers(string eventName, string guid, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["User-Agent"] = "GitHub-Hookshot/abc123",
            ["X-GitHub-Event"] = eventName,
            ["X-GitHub-Delivery"] = guid,
            ["X-GitHub-Hook-ID"] = HookId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["X-GitHub-Hook-Installation-Target-Type"] = "integration",
        };
        lock (_core.Sync)
        {
            if (_core.Apps.Values.FirstOrDefault() is { } app)
            {
                headers["X-GitHub-Hook-Installation-Target-ID"] = app.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (Secret is { } secret)
        {
            var key = Encoding.UTF8.GetBytes(secret);
            headers["X-Hub-Signature-256"] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body));
#pragma warning disable CA5350 // The legacy X-Hub-Signature header is HMAC-SHA1 by GitHub's definition.
            headers["X-Hub-Signature"] = "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(key, body));
#pragma warning restore CA5350
        }

        if (EnterpriseVersion is { } version)
        {
            headers["X-GitHub-Enterprise-Version"] = version;
            headers["X-GitHub-Enterprise-Host"] = _core.BaseAddress.Host;
        }

        return headers;
    }

    private static (string? Action, long? InstallationId, long? RepositoryId) Describe(string payloadJson)
    {
        try
        {
            var payload = JsonNode.Parse(payloadJson) as JsonObject;
            static long? Id(JsonNode? node) => node?["id"] is JsonValue value && value.TryGetValue<long>(out var id) ? id
                : node?["id"] is JsonValue element && element.GetValueKind() == JsonValueKind.Number ? (long)element.GetValue<double>() : null;
            return (payload?["action"] is JsonValue action && action.GetValueKind() == JsonValueKind.String ? action.GetValue<string>() : null,
                Id(payload?["installation"]), Id(payload?["repository"]));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private void Record(WebhookDelivery delivery)
    {
        lock (_sync)
        {
            _deliveries.Add(delivery);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(delivery))
                {
                    _waiters[i].Source.TrySetResult(delivery);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
