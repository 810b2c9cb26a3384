using Igor.GitHubActions.Security;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>
/// Every log line passes the redactor, whoever writes it: the message, its structured values and the exception
/// (message, stack trace, inner exceptions), so a background worker's stack trace cannot carry a key or token out.
/// </summary>
[CancelAfter(120_000)]
public sealed partial class LogRedactionTests
{
    private const string Token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    [Test]
    public void ExceptionWithTokenInMessageAndInnerException_IsLoggedMasked_WithTypeAndStackTraceKept()
    {
        using var collector = new FakeLoggerProvider();
        using var provider = new RedactingLoggerProvider(collector, () => SecretRedactor.RedactShapes);
        var logger = provider.CreateLogger("Worker");
        var failure = Thrown(new InvalidOperationException($"pass failed with credential {Token}", new HttpRequestException($"Authorization: Bearer {Token}")));

        Log.WorkerFailed(logger, "outbox", Token, failure);

        var record = collector.Collector.LatestRecord;
        record.Message.Should().Be("Worker outbox failed with [redacted]");
        record.StructuredState!.Should().Contain(new KeyValuePair<string, string?>("Credential", "[redacted]"));
        record.StructuredState!.Should().Contain(new KeyValuePair<string, string?>("{OriginalFormat}", "Worker {Worker} failed with {Credential}"));
        var text = record.Exception!.ToString();
        text.Should().NotContain(Token);
        text.Should().Contain("System.InvalidOperationException: pass failed with credential [redacted]")
            .And.Contain("System.Net.Http.HttpRequestException: Authorization: [redacted]")
            .And.Contain(nameof(Thrown), "the stack trace is kept");
        record.Exception.Message.Should().Be("pass failed with credential [redacted]");
    }

    [Test]
    public void DisabledLevel_IsNotFormattedOrForwarded()
    {
        using var collector = new FakeLoggerProvider(new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions())));
        var calls = 0;
        using var provider = new RedactingLoggerProvider(collector, () => text => { calls++; return text; });
        var logger = new LoggerFactory([provider], new LoggerFilterOptions { MinLevel = LogLevel.Warning }).CreateLogger("Worker");

        Log.Quiet(logger, Token);

        collector.Collector.Count.Should().Be(0);
        calls.Should().Be(0);
    }

    [Test]
    public async Task TheService_LogsAnythingWithItsConfiguredSecretsMasked()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["GitHub:WebhookSecret"] = GitHubScenario.WebhookSecret;
        await scenario.StartServiceAsync();
        var logger = scenario.Service!.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AnyLibrary");
        var keyLine = scenario.App.PrivateKeyPem.Split('\n')[5];

        Log.LibraryFailed(logger, new InvalidOperationException($"signature check with '{GitHubScenario.WebhookSecret}' failed near {keyLine}"));

        var text = scenario.Service.AllLogText();
        text.Should().Contain("Library failed").And.Contain("signature check with '[redacted]' failed near [redacted]");
        text.Should().NotContain(GitHubScenario.WebhookSecret).And.NotContain(keyLine);
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Worker {Worker} failed with {Credential}")]
        public static partial void WorkerFailed(ILogger logger, string worker, string credential, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "quiet {Value}")]
        public static partial void Quiet(ILogger logger, string value);

        [LoggerMessage(3, LogLevel.Warning, "Library failed")]
        public static partial void LibraryFailed(ILogger logger, Exception exception);
    }
}
