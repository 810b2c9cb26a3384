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
        Config().Should().Contain("Provider: Redis");
    }

    [Test]
    public void Redis_KeepsItsDataOnAPersistentVolume_WithAppendOnlyFile()
    {
        // Without persistence a Redis restart empties the store: in-flight builds are lost and queue ids start over.
        var redis = Load().Single(d => Name(d) == "igor-github-actions-redis" && Kind(d) != "Service");

        Kind(redis).Should().Be("StatefulSet");
        var container = (YamlMappingNode)((YamlSequenceNode)Node(redis, "spec", "template", "spec", "containers")!).Children.Single();
        var args = ((YamlSequenceNode)container.Children[new YamlScalarNode("args")]).Children.Select(a => a.ToString()).ToList();
        args.Should().ContainInConsecutiveOrder("--appendonly", "yes");
        var claim = (YamlMappingNode)((YamlSequenceNode)Node(redis, "spec", "volumeClaimTemplates")!).Children.Single();
        Scalar(claim, "metadata", "name").Should().Be("data");
        ((YamlMappingNode)Node(redis, "spec", "template", "spec")!).Children.Should().NotContainKey(new YamlScalarNode("volumes"), "no emptyDir");
    }

    [Test]
    public void Dockerfile_KeepsTheSqliteStoreOnAVolumeTheAppUserOwns()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot(), "Dockerfile")).Select(l => l.Trim()).ToList();
        var final = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

        final.Should().Contain("VOLUME /data");
        final.Should().Contain(l => l.StartsWith("RUN ", StringComparison.Ordinal) && l.Contains("chown app:app /data", StringComparison.Ordinal));
        final.Should().Contain(l => l.Contains("State__Sqlite__Path=/data/", StringComparison.Ordinal));
        final.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)).Should().Be("USER app");
        final.FindIndex(l => l.StartsWith("USER app", StringComparison.Ordinal)).Should().BeGreaterThan(
            final.FindIndex(l => l.Contains("chown app:app /data", StringComparison.Ordinal)), "the directory is prepared as root, then the service runs as app");
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

    private static YamlNode? Node(YamlMappingNode node, params string[] path)
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

        return current;
    }

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
