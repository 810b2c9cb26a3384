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
    public async Task EchoTimingOut_NoMessageIsSentWhenAnotherReplicaCouldClaimIt_TheRestGivenBackUntried()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(TestPaths.NewScratchDirectory(), "store.db");
        var store = await OutboxWithAsync(path, 6, time);

        // The other replica, on the same store: at the moment each POST could at the latest still be running (its start
        // plus Echo's timeout), would it be able to claim a message? If so, both would send it.
        var otherReplica = new SqliteStateStore(path);
        var echo = new TimingOutEcho(time, Timeout, async callEnd =>
            (await otherReplica.Outbox.ClaimAsync(50, Timeout, callEnd - TimeSpan.FromMilliseconds(1), CancellationToken.None)).Count);
        using var signal = new WorkSignal();
        var options = Options.Create(new EchoOptions { BaseUrl = new Uri("http://echo.invalid/"), RequestTimeout = Timeout, RetryDelay = TimeSpan.FromHours(1), MaxRetryDelay = TimeSpan.FromHours(1) });
        var forwarder = new EchoForwarder(store.Outbox, echo, signal, options, time, NullLogger<EchoForwarder>.Instance);

        await forwarder.RunOnceAsync(CancellationToken.None);

        echo.Calls.Should().BeGreaterThan(0, "the batch makes progress");
        echo.ClaimableByAnotherReplica.Should().Be(0, "no POST may still be running once another replica can claim the messages");
        var claimed = await store.Outbox.ClaimAsync(50, Timeout, time.GetUtcNow(), CancellationToken.None);
        claimed.Should().HaveCount(6 - echo.Calls, "what was not tried is given back at once, the tried ones wait for their retry");
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
        var forwarder = new EchoForwarder(store.Outbox, echo, signal, options, time, NullLogger<EchoForwarder>.Instance);

        var accepted = await forwarder.RunOnceAsync(stopping.Token);

        accepted.Should().Be(1, "the POST in hand when the stop came was completed, not abandoned");
        echo.Calls.Should().Be(1, "nothing is started once stopping");
        (await store.Outbox.ClaimAsync(50, Timeout, time.GetUtcNow(), CancellationToken.None)).Should().HaveCount(2, "the rest is claimable at once by the next start");
    }

    /// <summary>A store whose outbox holds <paramref name="count"/> build events of different jobs, all due now.</summary>
    private static Task<SqliteStateStore> OutboxWithAsync(int count, TimeProvider time) =>
        OutboxWithAsync(Path.Combine(TestPaths.NewScratchDirectory(), "store.db"), count, time);

    private static async Task<SqliteStateStore> OutboxWithAsync(string path, int count, TimeProvider time)
    {
        var store = new SqliteStateStore(path);
        for (var i = 0; i < count; i++)
        {
            await store.Outbox.EnqueueAsync(
                new NewLeasedItem<EchoMessage>($"build:{i}", $"job-{i}", new EchoMessage("/", "{}"), time.GetUtcNow()),
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

    /// <summary>Echo never answering: each POST lasts the client's timeout. At its start it asks whether another replica could claim a message before it ends.</summary>
    private sealed class TimingOutEcho(FakeTimeProvider time, TimeSpan timeout, Func<DateTimeOffset, Task<int>> claimableAt) : IEchoApi
    {
        public int Calls { get; private set; }

        public int ClaimableByAnotherReplica { get; private set; }

        public Task PostEventAsync(HttpContent body, CancellationToken cancellationToken) => TimeOutAsync();

        public Task PostWebhookAsync(string source, HttpContent body, CancellationToken cancellationToken) => TimeOutAsync();

        private async Task TimeOutAsync()
        {
            Calls++;
            ClaimableByAnotherReplica += await claimableAt(time.GetUtcNow() + timeout);
            time.Advance(timeout);
            throw new TaskCanceledException("Echo did not answer");
        }
    }
}
