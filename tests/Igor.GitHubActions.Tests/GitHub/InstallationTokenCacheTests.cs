using Igor.GitHubActions.GitHub.Apps;
using Microsoft.Extensions.Time.Testing;

namespace Igor.GitHubActions.Tests.GitHub;

public sealed class InstallationTokenCacheTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private FakeTimeProvider _time = null!;
    private int _mints;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(Start);
        _mints = 0;
    }

    private InstallationTokenCache CountingCache() => new(
        (id, _) =>
        {
            var n = Interlocked.Increment(ref _mints);
            return Task.FromResult(new InstallationToken($"token-{id}-{n}", _time.GetUtcNow() + Lifetime));
        },
        _time,
        Margin);

    [Test]
    public async Task GetTokenAsync_EmptyCache_Mints()
    {
        // Arrange
        var cache = CountingCache();

        // Act
        var token = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        token.Should().Be("token-7-1");
        _mints.Should().Be(1);
    }

    [Test]
    public async Task GetTokenAsync_BeforeExpiryMinusMargin_Reuses()
    {
        // Arrange
        var cache = CountingCache();
        var first = await cache.GetTokenAsync(7, CancellationToken.None);

        // Act
        _time.Advance(Lifetime - Margin - TimeSpan.FromSeconds(1));
        var second = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        second.Should().Be(first);
        _mints.Should().Be(1);
    }

    [Test]
    public async Task GetTokenAsync_AtExpiryMinusMargin_MintsNew()
    {
        // Arrange
        var cache = CountingCache();
        await cache.GetTokenAsync(7, CancellationToken.None);

        // Act
        _time.Advance(Lifetime - Margin);
        var second = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        second.Should().Be("token-7-2");
        _mints.Should().Be(2);
    }

    [Test]
    public async Task GetTokenAsync_PastExpiryMinusMargin_NewTokenThenReused()
    {
        // Arrange
        var cache = CountingCache();
        await cache.GetTokenAsync(7, CancellationToken.None);
        _time.Advance(Lifetime - Margin + TimeSpan.FromSeconds(1));

        // Act
        var renewed = await cache.GetTokenAsync(7, CancellationToken.None);
        var again = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        renewed.Should().Be("token-7-2");
        again.Should().Be(renewed);
        _mints.Should().Be(2);
    }

    [Test]
    public async Task GetTokenAsync_DifferentInstallations_OneMintEach()
    {
        // Arrange
        var cache = CountingCache();

        // Act
        var a = await cache.GetTokenAsync(1, CancellationToken.None);
        var b = await cache.GetTokenAsync(2, CancellationToken.None);

        // Assert
        a.Should().StartWith("token-1-");
        b.Should().StartWith("token-2-");
        _mints.Should().Be(2);
    }

    [Test]
    public async Task GetTokenAsync_TwentyConcurrentCallersOnEmptyCache_ShareOneMint()
    {
        // Arrange
        var release = new TaskCompletionSource<InstallationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mintStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mints = 0;
        var cache = new InstallationTokenCache(
            (_, _) =>
            {
                Interlocked.Increment(ref mints);
                mintStarted.TrySetResult();
                return release.Task;
            },
            _time,
            Margin);

        // Act
        var callers = Enumerable.Range(0, 20).Select(_ => cache.GetTokenAsync(7, CancellationToken.None)).ToArray();
        await mintStarted.Task.WaitAsync(Timeout);
        callers.Should().OnlyContain(t => !t.IsCompleted);
        release.SetResult(new InstallationToken("shared", Start + Lifetime));
        var tokens = await Task.WhenAll(callers).WaitAsync(Timeout);

        // Assert
        mints.Should().Be(1);
        tokens.Should().HaveCount(20).And.OnlyContain(t => t == "shared");
    }

    [Test]
    public async Task GetTokenAsync_ConcurrentCallersOnStaleToken_ShareOneRenewal()
    {
        // Arrange
        var release = new TaskCompletionSource<InstallationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var renewalStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mints = 0;
        var cache = new InstallationTokenCache(
            (_, _) =>
            {
                if (Interlocked.Increment(ref mints) == 1)
                {
                    return Task.FromResult(new InstallationToken("old", Start + Lifetime));
                }

                renewalStarted.TrySetResult();
                return release.Task;
            },
            _time,
            Margin);
        await cache.GetTokenAsync(7, CancellationToken.None);
        _time.Advance(Lifetime);

        // Act
        var callers = Enumerable.Range(0, 20).Select(_ => cache.GetTokenAsync(7, CancellationToken.None)).ToArray();
        await renewalStarted.Task.WaitAsync(Timeout);
        release.SetResult(new InstallationToken("new", _time.GetUtcNow() + Lifetime));
        var tokens = await Task.WhenAll(callers).WaitAsync(Timeout);

        // Assert
        mints.Should().Be(2);
        tokens.Should().OnlyContain(t => t == "new");
    }

    [Test]
    public async Task GetTokenAsync_FailedMint_NotCached()
    {
        // Arrange
        var calls = 0;
        var cache = new InstallationTokenCache(
            (_, _) => Interlocked.Increment(ref calls) == 1
                ? Task.FromException<InstallationToken>(new HttpRequestException("GitHub is down"))
                : Task.FromResult(new InstallationToken("good", Start + Lifetime)),
            _time,
            Margin);

        // Act
        var first = () => cache.GetTokenAsync(7, CancellationToken.None);
        await first.Should().ThrowAsync<HttpRequestException>().WithMessage("GitHub is down");
        var second = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        second.Should().Be("good");
        calls.Should().Be(2);
    }

    [Test]
    public async Task GetTokenAsync_MintThrowsSynchronously_NotCached()
    {
        // Arrange
        var calls = 0;
        var cache = new InstallationTokenCache(
            (_, _) => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("no key")
                : Task.FromResult(new InstallationToken("good", Start + Lifetime)),
            _time,
            Margin);

        // Act
        var first = () => cache.GetTokenAsync(7, CancellationToken.None);
        await first.Should().ThrowAsync<InvalidOperationException>();
        var second = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        second.Should().Be("good");
    }

    [Test]
    public async Task Invalidate_CachedToken_NextCallMints()
    {
        // Arrange
        var cache = CountingCache();
        await cache.GetTokenAsync(7, CancellationToken.None);

        // Act
        cache.Invalidate(7);
        var token = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        token.Should().Be("token-7-2");
        _mints.Should().Be(2);
    }

    [Test]
    public async Task Invalidate_OtherInstallation_KeepsToken()
    {
        // Arrange
        var cache = CountingCache();
        await cache.GetTokenAsync(7, CancellationToken.None);

        // Act
        cache.Invalidate(8);
        var token = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        token.Should().Be("token-7-1");
        _mints.Should().Be(1);
    }

    [Test]
    public async Task GetTokenAsync_LongTokenWithDots_PassedThroughUnchanged()
    {
        // Arrange
        var longToken = "ghs_" + string.Join('.', Enumerable.Range(0, 60).Select(i => $"seg{i:D5}x")).PadRight(600, 'z')[..596];
        longToken.Should().HaveLength(600).And.Contain(".");
        var cache = new InstallationTokenCache((_, _) => Task.FromResult(new InstallationToken(longToken, Start + Lifetime)), _time, Margin);

        // Act
        var first = await cache.GetTokenAsync(7, CancellationToken.None);
        var second = await cache.GetTokenAsync(7, CancellationToken.None);

        // Assert
        first.Should().Be(longToken);
        second.Should().Be(longToken);
    }

    [Test]
    public async Task GetTokenAsync_CallerCancelled_SharedRenewalCompletesForOthers()
    {
        // Arrange
        var release = new TaskCompletionSource<InstallationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mintStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mints = 0;
        var cache = new InstallationTokenCache(
            (_, ct) =>
            {
                Interlocked.Increment(ref mints);
                ct.CanBeCanceled.Should().BeFalse();
                mintStarted.TrySetResult();
                return release.Task;
            },
            _time,
            Margin);
        using var cts = new CancellationTokenSource();
        var cancelled = cache.GetTokenAsync(7, cts.Token);
        var other = cache.GetTokenAsync(7, CancellationToken.None);
        await mintStarted.Task.WaitAsync(Timeout);

        // Act
        await cts.CancelAsync();
        var cancelledAct = () => cancelled;
        await cancelledAct.Should().ThrowAsync<OperationCanceledException>();
        release.SetResult(new InstallationToken("shared", Start + Lifetime));

        // Assert
        (await other.WaitAsync(Timeout)).Should().Be("shared");
        mints.Should().Be(1);
    }

    [Test]
    public void InstallationToken_ToString_DoesNotRevealToken()
    {
        // Arrange
        var token = new InstallationToken("ghs_secret", Start);

        // Act
        var text = token.ToString();

        // Assert
        text.Should().NotContain("ghs_secret").And.Contain("2025-06-01T12:00:00");
    }
}
