using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// The one set-up of an end-to-end fixture: a simulated GitHub and the service over it, configured by the fixture's
/// <see cref="ConfigureAsync"/> before the service starts. A fresh pair per test, or one per fixture where the tests only
/// read (<see cref="SharedByFixture"/>): a fixture states what it needs, not how to build it. A fixture's own
/// <c>[SetUp]</c> runs after the service started, its <c>[TearDown]</c> (its fakes) before the scenario is disposed.
/// </summary>
public abstract class ScenarioTest
{
    private GitHubScenario? _scenario;

    protected GitHubScenario Scenario => _scenario ?? throw new InvalidOperationException("the scenario is made in set-up");

    /// <summary>One GitHub and service for all the fixture's tests, which then must leave them as they found them.</summary>
    protected virtual bool SharedByFixture => false;

    /// <summary>Whether set-up starts the service (a test that configures it itself starts it).</summary>
    protected virtual bool StartsService => true;

    protected virtual GitHubSimulatorOptions? SimulatorOptions => null;

    /// <summary>Settings, fakes and hooks the service needs, before it starts.</summary>
    protected virtual Task ConfigureAsync(GitHubScenario scenario) => Task.CompletedTask;

    [OneTimeSetUp]
    public async Task CreateSharedScenarioAsync()
    {
        if (SharedByFixture)
        {
            await CreateAsync();
        }
    }

    [SetUp]
    public async Task CreateScenarioAsync()
    {
        if (!SharedByFixture)
        {
            await CreateAsync();
        }
    }

    [TearDown]
    public async Task DisposeScenarioAsync()
    {
        if (!SharedByFixture)
        {
            await DisposeAsync();
        }
    }

    [OneTimeTearDown]
    public async Task DisposeSharedScenarioAsync()
    {
        if (SharedByFixture)
        {
            await DisposeAsync();
        }
    }

    /// <summary>A GET that must answer 200 with JSON.</summary>
    protected async Task<JsonNode> GetJsonAsync(string path)
    {
        var (status, body) = await GetWithStatusAsync(path);
        status.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    /// <summary>A GET to the service: its status and JSON body.</summary>
    protected async Task<(HttpStatusCode Status, JsonNode Body)> GetWithStatusAsync(string path)
    {
        using var response = await Scenario.Client.GetAsync(path.TrimStart('/'));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    private async Task CreateAsync()
    {
        _scenario = await GitHubScenario.CreateAsync(SimulatorOptions, start: false);
        await ConfigureAsync(_scenario);
        if (StartsService)
        {
            await _scenario.StartServiceAsync();
        }
    }

    private async Task DisposeAsync()
    {
        if (_scenario is not null)
        {
            await _scenario.DisposeAsync();
            _scenario = null;
        }
    }
}
