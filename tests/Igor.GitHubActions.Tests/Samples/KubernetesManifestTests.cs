using System.Security.Cryptography;
using global::Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace Igor.GitHubActions.Tests.Samples;

/// <summary>The Kubernetes sample: two replicas on Redis, and a configuration the service accepts.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Manifest = Path.Combine(TestPaths.RepositoryRoot(), "samples", "kubernetes", "igor-github-actions.yaml");

    [Test]
    public void Manifest_RunsTwoReplicasOnRedisBehindOneService()
    {
        var documents = Load();

        var deployment = documents.Single(d => Kind(d) == "Deployment" && Name(d) == "igor-github-actions");
        Scalar(deployment, "spec", "replicas").Should().Be("2");
        documents.Should().Contain(d => Kind(d) == "Service" && Name(d) == "igor-github-actions");
        documents.Should().Contain(d => Kind(d) == "Deployment" && Name(d) == "igor-github-actions-redis");
        Config().Should().Contain("Provider: Redis");
    }

    [Test]
    public void ManifestConfiguration_PassesTheServicesValidation()
    {
        var directory = TestPaths.NewScratchDirectory();
        using var key = RSA.Create(2048);
        var keyPath = Path.Combine(directory, "app.pem");
        File.WriteAllText(keyPath, key.ExportRSAPrivateKeyPem());
        var configPath = Path.Combine(directory, "igor.yml");
        File.WriteAllText(configPath, Config().Replace("/secrets/app.pem", keyPath, StringComparison.Ordinal));

        var configuration = new ConfigurationBuilder().Add(new YamlConfigurationSource(configPath)).Build();
        var options = configuration.GetSection(GitHubOptions.SectionName).Get<GitHubOptions>()!;

        new MasterRulesValidator().Validate(null, options).Failed.Should().BeFalse();
        new GitHubOptionsValidator().Validate(null, options).Failed.Should().BeFalse();
        options.Masters.Single().Repositories.Should().Equal("acme/*");
        configuration["State:Redis:Configuration"].Should().Be("igor-github-actions-redis:6379");
    }

    private static List<YamlMappingNode> Load()
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Manifest);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static string Config()
    {
        var map = Load().Single(d => Kind(d) == "ConfigMap");
        return Scalar(map, "data", "igor.yml")!;
    }

    private static string? Kind(YamlMappingNode document) => Scalar(document, "kind");

    private static string? Name(YamlMappingNode document) => Scalar(document, "metadata", "name");

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            current = child;
        }

        return (current as YamlScalarNode)?.Value;
    }
}
