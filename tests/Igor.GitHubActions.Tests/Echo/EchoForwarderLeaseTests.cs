using Igor.GitHubActions.Echo;
using Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Igor.GitHubActions.Tests.Echo;

/// <summary>
/// The outbox forwarder never sends a message after its lease may have run out (when another replica may claim and
/// send it too): with Echo timing out on every call, it stops starting messages once one more timeout does not fit.
/// </summary>
public sealed class EchoForwarderLeaseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Test]
    public async Task EchoTimingOut_OnlyMessagesThatFitTheLeaseAreTried_TheRestGivenBackUntried()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
        var store = await OutboxWithAsync(6, time);

        var echo = new TimingOutEcho(time, Timeout);
        using var signal = new WorkSignal();
        var options = Options.Create(new EchoOptions { BaseUrl = new Uri("http://echo.invalid/"), RequestTimeout = Timeout, RetryDelay = TimeSpan.FromHours(1), MaxRetryDelay = TimeSpan.FromHours(1) });
        var forwarder = new EchoForwarder(store, echo, signal, options, time, NullLogger<EchoForwarder>.Instance);

        await forwarder.RunOnceAsync(CancellationToken.None);

        // Lease = 4 timeouts; a message is started only while a timeout plus a second still fits: 3 of 6. The other
        // three are given back at once, untried; the three tried wait for their retry.
        echo.Calls.Should().Be(3);
        var claimed = await store.ClaimOutboxAsync(50, Timeout, time.GetUtcNow(), CancellationToken.None);
        claimed.Select(m => m.Key).Should().BeEquivalentTo(["build:3", "build:4", "build:5"]);
        claimed.Should().OnlyContain(m => m.Attempts == 0, "not trying a message is not a failed attempt");
    }

    [Test]
    public async Task Stopping_TheMessageInHandIsFinished_TheRestGivenBack()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
        var store = await OutboxWithAsync(3, time);

        using var stopping = new CancellationTokenSource();
        var echo = new StoppingEcho(stopping);
        using var signal = new WorkSignal();
        var options = Options.Create(new EchoOptions { BaseUrl = new Uri("http://echo.invalid/"), RequestTimeout = Timeout });
        var forwarder = new EchoForwarder(store, echo, signal, options, time, NullLogger<EchoForwarder>.Instance);

        var accepted = await forwarder.RunOnceAsync(stopping.Token);

        accepted.Should().Be(1, "the POST in hand when the stop came was completed, not abandoned");
        echo.Calls.Should().Be(1, "nothing is started once stopping");
        (await store.ClaimOutboxAsync(50, Timeout, time.GetUtcNow(), CancellationToken.None)).Should().HaveCount(2, "the rest is claimable at once by the next start");
    }

    /// <summary>A store whose outbox holds <paramref name="count"/> build events of different jobs, all due now.</summary>
    private static async Task<SqliteStateStore> OutboxWithAsync(int count, TimeProvider time)
    {
        var store = new SqliteStateStore(Path.Combine(TestPaths.NewScratchDirectory(), "store.db"));
        for (var i = 0; i < count; i++)
        {
            await store.EnqueueAsync(
                new OutboxMessage { Key = $"build:{i}", Group = $"job-{i}", Path = "/", Body = "{}", NextAttemptAt = time.GetUtcNow() },
                CancellationToken.None);
        }

        return store;
    }

    /// <summary>Echo accepting the first message while the host starts stopping.</summary>
    private sealed class StoppingEcho(CancellationTokenSource stopping) : IEchoApi
    {
        public int Calls { get; private set; }

        public async Task PostEventAsync(HttpContent body, CancellationToken cancellationToken)
        {
            Calls++;
            await stopping.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        public Task PostWebhookAsync(string source, HttpContent body, CancellationToken cancellationToken) => PostEventAsync(body, cancellationToken);
    }

    private sealed class TimingOutEcho(FakeTimeProvider time, TimeSpan timeout) : IEchoApi
    {
        public int Calls { get; private set; }

        public Task PostEventAsync(HttpContent body, CancellationToken cancellationToken) => TimeOut();

        public Task PostWebhookAsync(string source, HttpContent body, CancellationToken cancellationToken) => TimeOut();

        private Task TimeOut()
        {
            Calls++;
            time.Advance(timeout);
            return Task.FromException(new TaskCanceledException("Echo did not answer"));
        }
    }
}
