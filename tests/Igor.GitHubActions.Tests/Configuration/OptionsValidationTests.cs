using System.Reflection;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Tests.Configuration;

/// <summary>
/// Every options section has a source-generated validator, registered, and a bad value stops the service at start with
/// a message naming the key (Echo's retry settings had annotations nothing read before).
/// </summary>
[CancelAfter(120_000)]
public sealed class OptionsValidationTests
{
    private static readonly Type[] Sections = typeof(global::Igor.GitHubActions.IgorGitHubActionsHost).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
        .ToArray();

    [Test]
    public void EverySection_HasASourceGeneratedValidator()
    {
        Sections.Select(t => t.Name).Should().Contain(["GitHubOptions", "SecurityOptions", "FiatOptions", "EchoOptions", "StateOptions", "DeploymentStatusOptions", "StagesOptions", "PassThroughOptions", "SpinnakerOptions"]);
        var generated = typeof(global::Igor.GitHubActions.IgorGitHubActionsHost).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<OptionsValidatorAttribute>() is not null)
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidateOptions<>)).Select(i => i.GetGenericArguments()[0]))
            .ToHashSet();

        Sections.Where(s => !generated.Contains(s)).Select(s => s.Name).Should().BeEmpty("each section is validated by an [OptionsValidator]");
    }

    [Test]
    public async Task EverySectionsValidator_IsRegistered()
    {
        await using var scenario = await GitHubScenario.CreateAsync();

        foreach (var section in Sections)
        {
            var validators = (IEnumerable<object>)scenario.Service!.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(section));
            validators.Should().Contain(v => v.GetType().GetCustomAttribute<OptionsValidatorAttribute>() != null, section.Name);
        }
    }

    [TestCase("Echo:MaxAttempts", "0", "MaxAttempts")]
    [TestCase("Echo:PollInterval", "-00:00:01", "PollInterval")]
    [TestCase("Echo:BaseUrl", "ftp://spin-echo", "Echo:BaseUrl")]
    [TestCase("Echo:DeploymentSource", "a/b", "Echo:DeploymentSource")]
    [TestCase("Igor:CheckInterval", "00:00:00", "Igor:CheckInterval")]
    [TestCase("Igor:PassThroughUrl", "http://spin-igor:8088/?x=1", "Igor:PassThroughUrl")]
    [TestCase("Stages:Secret", "short", "Stages:Secret")]
    [TestCase("Security:BearerTokens:0", "has a space in it somewhere", "Security:BearerTokens")]
    [TestCase("Security:ClientCertificates:TrustedCaPath", "/nonexistent/ca.pem", "TrustedCaPath")]
    [TestCase("Fiat:BaseUrl", "spin-fiat:7003", "Fiat:BaseUrl")]
    [TestCase("Spinnaker:LogLinkKey", "too-short", "Spinnaker:LogLinkKey")]
    [TestCase("Deployments:States:Canceled", "cancelled", "Deployments:States")]
    [TestCase("State:Redis:KeyPrefix", "", "KeyPrefix")]
    public async Task BadValue_StopsTheStart_NamingTheKey(string key, string value, string named)
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings[key] = value;

        var start = () => scenario.StartServiceAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(named);
    }
}
