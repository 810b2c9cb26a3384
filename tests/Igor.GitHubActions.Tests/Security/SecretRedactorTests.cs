using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Security;
using Igor.GitHubActions.Stages;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>Every configured secret is masked wherever text leaves the service, the newer ones included.</summary>
public sealed class SecretRedactorTests
{
    [Test]
    public void StageAndEventSecretsAndTheRedisPassword_AreMasked()
    {
        const string stages = "stages-secret-0123456789abcdef0123456789";
        const string events = "events-secret-for-echo-0123456789";
        const string redis = "r3dis-passw0rd-value";
        var redactor = new SecretRedactor(
            Options.Create(new GitHubOptions()), Options.Create(new SecurityOptions()), Options.Create(new global::Igor.GitHubActions.Configuration.SpinnakerOptions()),
            Options.Create(new StagesOptions { Secret = stages }), Options.Create(new global::Igor.GitHubActions.Deployments.DeploymentStatusOptions { EventsSecret = events }),
            Options.Create(new StateOptions { Redis = new RedisStateOptions { Configuration = $"redis:6379,password={redis},ssl=true" } }));

        var text = redactor.Redact($"header {stages} and {events}; connecting with {redis}");

        text.Should().NotContain(stages).And.NotContain(events).And.NotContain(redis);
        text.Should().Contain(SecretRedactor.Mask);
    }
}
