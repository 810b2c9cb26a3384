using Igor.GitHubActions.GitHub.Client;
using Microsoft.Extensions.Time.Testing;

namespace Igor.GitHubActions.Tests.GitHub;

public sealed class SharedCacheTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private FakeTimeProvider _time = null!;
    private SharedCache<string> _cache = null!;
    private int _fetches;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(Start);
        _cache = new SharedCache<string>(_time, () => Lifetime);
        _fetches = 0;
    }

    private Task<string> Counting(CancellationToken cancellationToken) =>
        Task.FromResult($"value-{Interlocked.Increment(ref _fetches)}");

    [Test]
    public async Task GetAsync_ConcurrentCallers_ShareOneFetch()
    {
        // Arrange
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetches = 0;
        Task<string> Fetch(CancellationToken _)
        {
            Interlocked.Increment(ref fetches);
            fetchStarted.TrySetResult();
            return release.Task;
        }

        // Act
        var callers = Enumerable.Range(0, 20).Select(_ => _cache.GetAsync("acme/api", Fetch, CancellationToken.None).AsTask()).ToArray();
        await fetchStarted.Task.WaitAsync(Timeout);
        callers.Should().OnlyContain(t => !t.IsCompleted);
        release.SetResult("workflows");
        var values = await Task.WhenAll(callers).WaitAsync(Timeout);

        // Assert
        fetches.Should().Be(1);
        values.Should().HaveCount(20).And.OnlyContain(v => v == "workflows");
    }

    [Test]
    public async Task GetAsync_WithinLifetime_ServedFromCache()
    {
        // Arrange
        await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Act
        _time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        var value = await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Assert
        value.Should().Be("value-1");
        _fetches.Should().Be(1);
    }

    [Test]
    public async Task GetAsync_AfterLifetime_Refetched()
    {
        // Arrange
        await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Act
        _time.Advance(Lifetime);
        var value = await _cache.GetAsync("k", Counting, CancellationToken.None);
        var again = await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Assert
        value.Should().Be("value-2");
        again.Should().Be("value-2");
        _fetches.Should().Be(2);
    }

    [Test]
    public async Task GetAsync_KeysIgnoreCase_OneEntry()
    {
        // Arrange
        await _cache.GetAsync("Acme/API", Counting, CancellationToken.None);

        // Act
        var value = await _cache.GetAsync("acme/api", Counting, CancellationToken.None);

        // Assert
        value.Should().Be("value-1");
    }

    [Test]
    public async Task GetAsync_DifferentKeys_FetchedSeparately()
    {
        // Act
        var a = await _cache.GetAsync("a", Counting, CancellationToken.None);
        var b = await _cache.GetAsync("b", Counting, CancellationToken.None);

        // Assert
        a.Should().NotBe(b);
        _fetches.Should().Be(2);
    }

    [Test]
    public async Task GetAsync_FailedFetch_NotCached()
    {
        // Arrange
        var calls = 0;
        Task<string> Fetch(CancellationToken _) => Interlocked.Increment(ref calls) == 1
            ? Task.FromException<string>(new HttpRequestException("boom"))
            : Task.FromResult("ok");
        var first = () => _cache.GetAsync("k", Fetch, CancellationToken.None).AsTask();
        await first.Should().ThrowAsync<HttpRequestException>();

        // Act
        var value = await _cache.GetAsync("k", Fetch, CancellationToken.None);

        // Assert
        value.Should().Be("ok");
        calls.Should().Be(2);
    }

    [Test]
    public async Task GetAsync_FetchThrowsSynchronously_NotCached()
    {
        // Arrange
        var calls = 0;
        Task<string> Fetch(CancellationToken _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("boom")
            : Task.FromResult("ok");
        var first = () => _cache.GetAsync("k", Fetch, CancellationToken.None).AsTask();
        await first.Should().ThrowAsync<InvalidOperationException>();

        // Act
        var value = await _cache.GetAsync("k", Fetch, CancellationToken.None);

        // Assert
        value.Should().Be("ok");
    }

    [Test]
    public async Task GetAsync_CallerCancelled_FetchContinuesForOthers()
    {
        // Arrange
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetches = 0;
        Task<string> Fetch(CancellationToken ct)
        {
            Interlocked.Increment(ref fetches);
            ct.CanBeCanceled.Should().BeFalse();
            fetchStarted.TrySetResult();
            return release.Task;
        }

        using var cts = new CancellationTokenSource();
        var cancelled = _cache.GetAsync("k", Fetch, cts.Token).AsTask();
        var other = _cache.GetAsync("k", Fetch, CancellationToken.None).AsTask();
        await fetchStarted.Task.WaitAsync(Timeout);

        // Act
        await cts.CancelAsync();
        var cancelledAct = () => cancelled;
        await cancelledAct.Should().ThrowAsync<OperationCanceledException>();
        release.SetResult("v");

        // Assert
        (await other.WaitAsync(Timeout)).Should().Be("v");
        fetches.Should().Be(1);
    }

    [Test]
    public async Task Invalidate_Key_NextCallRefetches()
    {
        // Arrange
        await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Act
        _cache.Invalidate("K");
        var value = await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Assert
        value.Should().Be("value-2");
    }

    [Test]
    public async Task Clear_All_NextCallRefetches()
    {
        // Arrange
        await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Act
        _cache.Clear();
        var value = await _cache.GetAsync("k", Counting, CancellationToken.None);

        // Assert
        value.Should().Be("value-2");
    }

    [Test]
    public async Task GetAsync_LifetimeChanged_NewLifetimeApplies()
    {
        // Arrange
        var lifetime = TimeSpan.FromMinutes(10);
        var cache = new SharedCache<string>(_time, () => lifetime);
        await cache.GetAsync("k", Counting, CancellationToken.None);

        // Act
        lifetime = TimeSpan.FromSeconds(5);
        _time.Advance(TimeSpan.FromSeconds(5));
        var value = await cache.GetAsync("k", Counting, CancellationToken.None);

        // Assert
        value.Should().Be("value-2");
    }

    [Test]
    public async Task GetAsync_OverCapacity_StillServesRequestedKey()
    {
        // Arrange
        var cache = new SharedCache<string>(_time, () => Lifetime, capacity: 2);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await cache.GetAsync(key, Counting, CancellationToken.None);
        }

        // Act
        var value = await cache.GetAsync("d", Counting, CancellationToken.None);
        var again = await cache.GetAsync("d", Counting, CancellationToken.None);

        // Assert
        value.Should().Be(again);
        _fetches.Should().Be(4);
    }
}
