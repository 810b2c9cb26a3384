using YamlDotNet.RepresentationModel;

namespace Igor.GitHubActions.Configuration;

/// <summary>An optional YAML configuration file (<c>--config FILE</c>), flattened into configuration keys.</summary>
internal sealed class YamlConfigurationSource(string path) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(path);

    private sealed class Provider(string path) : ConfigurationProvider
    {
        public override void Load()
        {
            var stream = new YamlStream();
            try
            {
                using var reader = File.OpenText(path);
                stream.Load(reader);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
            {
                throw new InvalidOperationException($"the configuration file {path} cannot be read: {e.Message}", e);
            }

            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (stream.Documents.Count > 0)
            {
                Flatten(stream.Documents[0].RootNode, null);
            }
        }

        private void Flatten(YamlNode node, string? prefix)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (key, value) in map.Children)
                    {
                        var name = ((YamlScalarNode)key).Value;
                        Flatten(value, prefix is null ? name : $"{prefix}:{name}");
                    }

                    break;
                case YamlSequenceNode sequence:
                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        Flatten(sequence.Children[i], $"{prefix}:{i}");
                    }

                    break;
                case YamlScalarNode scalar when prefix is not null:
                    Data[prefix] = scalar.Value;
                    break;
            }
        }
    }
}
